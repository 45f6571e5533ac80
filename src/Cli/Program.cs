using Cluster.Cli;
using Cluster.Cli.Common;

return await CliApp.RunAsync(args, CliConsole.CreateDefault());
