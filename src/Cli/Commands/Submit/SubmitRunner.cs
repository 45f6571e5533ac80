using System.Text.Json.Nodes;
using Cluster.Cli.Commands.Inspect;
using Cluster.Cli.Common;
using Cluster.Cli.Embedded;
using Cluster.Cli.Rendering;
using Cluster.Client;
using Cluster.Client.Local;
using Cluster.Contracts.V1;

namespace Cluster.Cli.Commands.Submit;

/// <summary>Runs a submission: on the given coordinator, or on a local cluster started for it and torn down after.</summary>
internal sealed class SubmitRunner(CliConsole console, IReadOnlyList<KindInfo> localKinds)
{
    public async Task<int> RunAsync(SubmitRequest request, CancellationToken cancellationToken)
    {
        request.Validate();
        if (!request.KnownKind && request.Coordinator is null)
        {
            throw UnknownKind(request.Kind.Name, localKinds, "this CLI knows");
        }

        using var termination = new TerminationSignal(cancellationToken);
        LocalCluster? cluster = null;
        DirectoryInfo? data = null;
        try
        {
            if (request.Coordinator is null)
            {
                // The embedded cluster's journal lives as long as the cluster: a temporary folder (mode 0700), removed after.
                data = Directory.CreateTempSubdirectory("cluster-submit-");
                cluster = await EmbeddedCluster.StartAsync(request.Embedded with { DataDirectory = data.FullName }, termination.Token);
                Note(request, $"Started a local cluster at {cluster.Address.ToString().TrimEnd('/')} with {request.Embedded.Workers} {(request.Embedded.Workers == 1 ? "worker" : "workers")}.");
                if (EmbeddedCluster.DashboardUrl(cluster, withToken: true) is { } dashboard)
                {
                    Note(request, $"Dashboard (while the job runs): {dashboard}");
                }
            }

            using var client = request.Coordinator is null
                ? ClientCommand.Connect(cluster!.Address.ToString(), new ClusterClientOptions { Token = cluster.ClientToken })
                : ClientCommand.Connect(request.Coordinator, request.ClientOptions);
            return await SubmitAndFollowAsync(request, client, termination.Token);
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.StopAsync(CancellationToken.None);
                await cluster.DisposeAsync();
            }

            RemoveQuietly(data);
        }
    }

    private async Task<int> SubmitAndFollowAsync(SubmitRequest request, ClusterClient client, CancellationToken cancellationToken)
    {
        var kind = request.KnownKind && request.RawParameters.Count == 0
            ? request.Kind
            : await RemoteKindAsync(request, client, cancellationToken);
        var spec = request.ToSpec(kind);
        if (JobBundles.Holding(request.JobPaths, request.Kind.Name) is { } path)
        {
            var upload = await client.UploadBundleAsync(path, cancellationToken);
            Note(request, upload.SentBytes > 0
                ? $"Uploaded bundle {upload.BundleId[..12]} ({upload.Size} bytes) from {path}."
                : $"Bundle {upload.BundleId[..12]} ({upload.Size} bytes) is on the coordinator already; nothing sent.");
            spec.BundleId = upload.BundleId;
        }

        var inputFile = request.Input;
        if (inputFile is not null && !request.Upload && kind.ReadsInputByReference && await client.WorkersShareLocalFilesAsync(cancellationToken))
        {
            spec.InputUrl = new Uri(inputFile.FullName).AbsoluteUri;
            inputFile = null;
            Note(request, $"The workers read {request.Input!.FullName} where it is (they share this machine's files); {KindBinding.UploadOption} sends it instead.");
        }

        JobInfo submitted;
        await using (var input = inputFile?.OpenRead())
        {
            submitted = await client.SubmitAsync(spec, input, cancellationToken);
        }

        if (request.Detach)
        {
            console.Out.WriteLine(request.Json ? new JsonObject { ["jobId"] = submitted.JobId }.ToJsonString() : submitted.JobId);
            return ExitCodes.Ok;
        }

        JobInfo final;
        try
        {
            final = await new JobProgressDisplay(console).FollowAsync(client, submitted, quiet: request.Json, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && request.Coordinator is not null)
        {
            console.WriteNote($"Stopped waiting; job {submitted.JobId} keeps running (cluster cancel {submitted.JobId} stops it).");
            return ExitCodes.Interrupted;
        }

        if (final.State == JobState.Succeeded && request.Output is not null)
        {
            await ResultCommand.SaveAsync(console, client, final.JobId, request.Output, cancellationToken);
        }

        Report(request, final);
        return final.State == JobState.Succeeded ? ExitCodes.Ok : ExitCodes.JobFailed;
    }

    private void Report(SubmitRequest request, JobInfo final)
    {
        var now = ClientCommand.NowUnixMs();
        if (request.Json)
        {
            console.Out.WriteLine(JobJson.Format(final, now));
            return;
        }

        console.WriteNote(ProgressText.Summary(final, JobJson.ElapsedMs(final, now)));
        if (final.State == JobState.Succeeded)
        {
            console.Out.WriteLine(final.ResultJson);
        }
        else
        {
            console.WriteError(Sentences.End($"Job {final.JobId} {JobJson.StateName(final.State)}: {(final.Error.Length > 0 ? final.Error : "no reason given")}"));
        }
    }

    private static async Task<KindInfo> RemoteKindAsync(SubmitRequest request, ClusterClient client, CancellationToken cancellationToken)
    {
        var kinds = await client.ListKindsAsync(cancellationToken);
        var named = kinds.Where(k => k.Name == request.Kind.Name).ToList();
        if (named.Count <= 1 || JobBundles.Holding(request.JobPaths, request.Kind.Name) is not null)
        {
            return named.FirstOrDefault() ?? throw UnknownKind(request.Kind.Name, kinds, "the coordinator runs");
        }

        // A kind the coordinator knows itself is what a spec without a bundle runs; else the user picks the bundle.
        return named.FirstOrDefault(k => k.BundleId.Length == 0) ?? throw new CliUsageException(
            $"Job kind '{request.Kind.Name}' is in {named.Count} bundles on the coordinator ({string.Join(", ", named.Select(k => k.BundleId[..12]))}); choose one by shipping its build output with --jobs PATH.");
    }

    private static CliUsageException UnknownKind(string name, IEnumerable<KindInfo> kinds, string whose)
    {
        var names = kinds.Select(k => k.Name).ToList();
        return new CliUsageException(
            $"Unknown job kind '{name}'; {whose}: {(names.Count == 0 ? "none" : string.Join(", ", names))}. Load more with --jobs, or ask a coordinator that knows it with --coordinator.");
    }

    private void Note(SubmitRequest request, string message)
    {
        if (!request.Json)
        {
            console.WriteNote(message);
        }
    }

    /// <summary>Removes the embedded cluster's data directory; one a child still holds open stays behind in the temporary folder.</summary>
    private static void RemoveQuietly(DirectoryInfo? data)
    {
        try
        {
            data?.Delete(recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left in the temporary folder, where nothing uses it any longer.
        }
    }
}
