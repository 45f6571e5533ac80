return await Cluster.Coordinator.CoordinatorApp.RunAsync(args);
