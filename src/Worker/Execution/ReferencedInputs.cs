using Cluster.Contracts.V1;
using Cluster.Hosting;
using Cluster.Hosting.Inputs;
using Cluster.Jobs;
using Cluster.Jobs.InProcess;

namespace Cluster.Worker.Execution;

/// <summary>Opens a job's input by reference (<c>JobDefinition.input_url</c>) on this worker, for positional reads of its chunks' ranges.</summary>
internal static class ReferencedInputs
{
    /// <summary>
    /// The input: a file, checked now to have the length the job was planned for, or an HTTP(S) resource whose every
    /// range read checks its length and entity tag, read through <paramref name="http"/> (the process's one source,
    /// <c>Worker:HttpInput</c>).
    /// </summary>
    /// <exception cref="InvalidDataException">The URL is not one this worker reads, or the file's length changed.</exception>
    /// <exception cref="IOException">The file cannot be opened here.</exception>
    public static IJobInput Open(JobDefinition definition, HttpInputSource http)
    {
        if (InputLocations.HttpUri(definition.InputUrl) is { } uri)
        {
            return new HttpJobInput(http, uri, new HttpInputInfo(definition.InputLength, definition.InputEtag));
        }

        if (!InputLocations.TryGetFilePath(definition.InputUrl, out var path, out var error))
        {
            throw new InvalidDataException($"The job's input_url {error}.");
        }

        var input = new FileJobInput(path);
        if (input.Length != definition.InputLength)
        {
            var length = input.Length;
            input.Dispose();
            throw new InvalidDataException(
                $"The input at {definition.InputUrl} is {length} bytes long on this worker, but the job was planned for {definition.InputLength}: it changed after submission, or this worker sees another file.");
        }

        return input;
    }
}
