using Cluster.Bench;

return await BenchApp.RunAsync(args);
