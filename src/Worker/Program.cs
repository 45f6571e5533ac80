return await Cluster.Worker.WorkerApp.RunAsync(args);
