using System.CommandLine;
using Cluster.Cli.Common;
using Cluster.Client;
using Cluster.Contracts.V1;

namespace Cluster.Cli.Commands.Inspect;

/// <summary><c>cluster result JOB [-o FILE]</c>: a succeeded job's result data, to a file or to standard output.</summary>
internal static class ResultCommand
{
    public static Command Create(CliConsole console)
    {
        var job = JobCommands.JobArgument();
        var output = CommonOptions.Output();
        var command = ClientCommand.Create(console, "result", "Fetch a succeeded job's result data", async (parse, client, ct) =>
        {
            var info = await client.GetJobAsync(parse.GetValue(job)!, ct);
            if (info.State != JobState.Succeeded)
            {
                console.WriteError($"Job {info.JobId} is {Rendering.JobJson.StateName(info.State)}; only a succeeded job has a result.");
                return ExitCodes.JobFailed;
            }

            if (parse.GetValue(output) is { } file)
            {
                await SaveAsync(console, client, info.JobId, file, ct);
                return ExitCodes.Ok;
            }

            if (!IsText(info.ResultContentType) && !Console.IsOutputRedirected)
            {
                throw new CliUsageException($"The result is {info.ResultContentType}; pass -o FILE to save it.");
            }

            await console.Out.FlushAsync(ct);
            await using var stdout = Console.OpenStandardOutput();
            await client.DownloadResultAsync(info.JobId, stdout, ct);
            return ExitCodes.Ok;
        });
        command.Add(job);
        command.Add(output);
        return command;
    }

    /// <summary>Downloads the result into <paramref name="file"/> and says so on standard error.</summary>
    public static async Task SaveAsync(CliConsole console, ClusterClient client, string jobId, FileInfo file, CancellationToken cancellationToken)
    {
        ResultDownload download;
        await using (var stream = file.Create())
        {
            download = await client.DownloadResultAsync(jobId, stream, cancellationToken);
        }

        console.WriteNote($"Wrote {download.Bytes} bytes ({download.ContentType}) to {file.FullName}.");
    }

    private static bool IsText(string contentType) =>
        contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("json", StringComparison.OrdinalIgnoreCase);
}
