using System.CommandLine;
using Cluster.Cli.Common;
using Cluster.Contracts.V1;

namespace Cluster.Cli.Commands.Submit;

/// <summary><c>cluster submit KIND [kind options] [shared options]</c>: one subcommand per kind.</summary>
internal static class SubmitCommand
{
    /// <param name="console">Where to write.</param>
    /// <param name="args">The raw arguments, to find <c>--jobs</c> assemblies and the kind named.</param>
    public static Command Create(CliConsole console, IReadOnlyList<string> args)
    {
        var options = new SubmitOptions(console);
        var command = new Command("submit", "Submit a job and wait for its result (a local cluster is started unless --coordinator is given)");
        foreach (var option in options.All)
        {
            command.Add(option);
        }

        var localKinds = LocalKinds.Load(ArgsScan.JobAssemblies(args));
        var bindings = localKinds.Select(k => new KindBinding(k, known: true, options.Reserved)).ToList();
        if (ArgsScan.SubmitKind(args, options.WithValues) is { } named && localKinds.All(k => k.Name != named))
        {
            bindings.Add(new KindBinding(new KindInfo { Name = named }, known: false, options.Reserved));
        }

        var runner = new SubmitRunner(console, localKinds);
        command.SetAction(int (_) => throw new CliUsageException(
            $"Name a job kind: cluster submit KIND [options]; this CLI knows: {(localKinds.Count == 0 ? "none" : string.Join(", ", localKinds.Select(k => k.Name)))}."));
        foreach (var binding in bindings)
        {
            binding.Command.SetAction((parse, ct) => runner.RunAsync(Request(console, parse, options, binding), ct));
            command.Add(binding.Command);
        }

        return command;
    }

    private static SubmitRequest Request(CliConsole console, ParseResult parse, SubmitOptions options, KindBinding binding) => new(
        binding.Kind,
        binding.Known,
        binding.ReadTyped(parse),
        binding.ReadRaw(parse),
        binding.ReadInput(parse),
        parse.GetValue(options.Coordinator),
        parse.GetValue(options.Chunks),
        parse.GetValue(options.ChunkSize),
        parse.GetValue(options.Name),
        parse.GetValue(options.Json),
        parse.GetValue(options.Output),
        parse.GetValue(options.Detach),
        new Embedded.EmbeddedCluster.Settings(
            parse.GetValue(options.Workers), parse.GetValue(options.Threads), Port: 0, OneJob: true))
    {
        // Shipped as a bundle, to a running coordinator and to the local cluster alike: one mechanism everywhere.
        JobPaths = CommonOptions.SplitList(parse.GetValue(options.Jobs)),
        InputUrl = binding.ReadInputUrl(parse),
        Upload = binding.ReadUpload(parse),
        ClientOptions = options.Tls.Read(parse, CommonOptions.Token(console, parse.GetValue(options.TokenFile))),
    };
}
