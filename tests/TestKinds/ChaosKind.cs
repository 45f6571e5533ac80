using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Cluster.Jobs;

namespace Cluster.TestKinds;

/// <summary>
/// A test-only kind that misbehaves on demand: chunk <c>fail-chunk</c> throws, hangs or kills its worker, optionally
/// only for its first <c>fail-attempts</c> executions (counted in files under <c>state-dir</c>, so the count survives
/// the worker it killed). Every chunk i outputs i*i, so the result, the sum of squares, has a closed form.
/// A worker started with the environment variable <c>CLUSTER_TEST_EXTRA_MS</c> spends that much longer on each chunk:
/// a straggler.
/// </summary>
public sealed class ChaosKind : IJobKind
{
    /// <inheritdoc />
    public string Name => "chaos";

    /// <inheritdoc />
    public string Description => "Test kind: sums i*i, failing on demand.";

    /// <inheritdoc />
    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.Int("ms", "Milliseconds each chunk takes.", 0),
        ParameterSpec.Int("fail-chunk", "The chunk that misbehaves; -1 for none.", -1),
        ParameterSpec.String("mode", "throw, crash (FailFast), kill (SIGKILL itself), thread (unhandled exception on a new thread), hang, or deadlock (two locks taken in opposite orders).", "throw"),
        ParameterSpec.Int("fail-attempts", "Misbehave only on the first N executions; 0 for always.", 0),
        ParameterSpec.String("state-dir", "Folder counting executions of the failing chunk (needed with fail-attempts).", string.Empty),
        ParameterSpec.String("count-dir", "Folder where every finished execution of any chunk leaves a file chunk-INDEX-GUID; empty for none.", string.Empty),
        ParameterSpec.String("gate", "A file path: chunks from index gate-from on wait until that file exists (or the chunk is cancelled); empty for none.", string.Empty),
        ParameterSpec.Int("gate-from", "The first chunk index that waits for the gate file.", 0),
        ParameterSpec.Int("result-mib", "When above 0, the result data is this many MiB of ResultByte(sum, i) (a large result to write); 0 for the JSON summary alone.", 0),
    ];

    /// <summary>The sum of i*i for i below <paramref name="chunks"/>.</summary>
    public static long ExpectedSum(long chunks) => (chunks - 1) * chunks * ((2 * chunks) - 1) / 6;

    /// <summary>Byte <paramref name="index"/> of a <c>result-mib</c> result whose sum is <paramref name="sum"/>.</summary>
    public static byte ResultByte(long sum, long index) => unchecked((byte)((index * 31) + (index >> 13) + sum));

    /// <inheritdoc />
    public IJobPlan Plan(JobPlanContext context)
    {
        var c = context.Chunking;
        var count = c.RequestedChunks > 0 ? c.RequestedChunks : c.DefaultChunks;
        if (context.Parameters.GetInt64("ms") < 0)
        {
            throw new JobParameterException("ms", "must not be negative");
        }

        return new ChaosPlan(count, context.Parameters.GetInt64("result-mib"));
    }

    /// <inheritdoc />
    public IChunkExecutor CreateExecutor(JobParameters parameters) => new ChaosExecutor(parameters);

    private sealed class ChaosPlan(long count, long resultMiB) : IJobPlan
    {
        public long ChunkCount => count;

        public void WritePayload(long chunkIndex, IBufferWriter<byte> writer)
        {
        }

        public IJobMerger CreateMerger() => new SumMerger(count, resultMiB);
    }

    private sealed class SumMerger(long count, long resultMiB) : IJobMerger
    {
        private long _sum;

        public void Merge(long chunkIndex, ReadOnlySpan<byte> output) => _sum += BinaryPrimitives.ReadInt64LittleEndian(output);

        public JobOutput Complete()
        {
            var summary = string.Create(CultureInfo.InvariantCulture, $"{{\"sum\":{_sum},\"chunks\":{count}}}");
            if (resultMiB <= 0)
            {
                return JobOutput.FromJson(summary);
            }

            var data = new byte[resultMiB << 20];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = ResultByte(_sum, i);
            }

            return new JobOutput(summary, data, "application/octet-stream");
        }
    }

    private sealed class ChaosExecutor(JobParameters parameters) : IChunkExecutor
    {
        private readonly long _ms = parameters.GetInt64("ms")
            + (long.TryParse(Environment.GetEnvironmentVariable("CLUSTER_TEST_EXTRA_MS"), CultureInfo.InvariantCulture, out var extra) ? extra : 0);

        private readonly long _failChunk = parameters.GetInt64("fail-chunk");
        private readonly string _mode = parameters.GetString("mode");
        private readonly long _failAttempts = parameters.GetInt64("fail-attempts");
        private readonly string _stateDir = parameters.GetString("state-dir");
        private readonly string _countDir = parameters.GetString("count-dir");
        private readonly string _gate = parameters.GetString("gate");
        private readonly long _gateFrom = parameters.GetInt64("gate-from");

        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
            if (chunkIndex == _failChunk && ShouldMisbehave())
            {
                Misbehave(chunkIndex, cancellationToken);
            }

            // A test holds the job at this point while it changes the cluster, so what it asserts does not depend on
            // how fast the machine runs the chunks before it.
            while (_gate.Length > 0 && chunkIndex >= _gateFrom && !File.Exists(_gate))
            {
                if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(10)))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            if (_ms > 0 && cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(_ms)))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (_countDir.Length > 0)
            {
                File.WriteAllText(Path.Combine(_countDir, string.Create(CultureInfo.InvariantCulture, $"chunk-{chunkIndex}-{Guid.NewGuid():N}")), string.Empty);
            }

            BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), chunkIndex * chunkIndex);
            output.Advance(8);
        }

        /// <summary>
        /// The chunk's thread holds one lock and waits for a second, which another thread holds while it waits for the
        /// first: the classic deadlock, for <c>cluster stack</c> to find.
        /// </summary>
        private static void DeadlockOnPurpose()
        {
            var first = new object();
            var second = new object();
            using var secondHeld = new ManualResetEventSlim(false);
            var other = new Thread(() =>
            {
                lock (second)
                {
                    secondHeld.Set();
                    lock (first)
                    {
                    }
                }
            })
            { IsBackground = true, Name = "chaos-deadlock" };
            lock (first)
            {
                other.Start();
                secondHeld.Wait();
                lock (second)
                {
                }
            }
        }

        private static void BlockForever()
        {
            using var never = new ManualResetEventSlim(false);
            never.Wait();
        }

        private bool ShouldMisbehave()
        {
            if (_failAttempts <= 0)
            {
                return true;
            }

            Directory.CreateDirectory(_stateDir);
            var executions = Directory.GetFiles(_stateDir, "execution-*").Length;
            File.WriteAllText(Path.Combine(_stateDir, $"execution-{Guid.NewGuid():N}"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            return executions < _failAttempts;
        }

        private void Misbehave(long chunkIndex, CancellationToken cancellationToken)
        {
            switch (_mode)
            {
                case "crash":
                    Environment.FailFast($"chaos: chunk {chunkIndex} crashes its worker");
                    break;
                case "kill":
                    Process.GetCurrentProcess().Kill();
                    BlockForever();
                    break;
                case "thread":
                    var thread = new Thread(() => throw new InvalidOperationException($"chaos: chunk {chunkIndex} throws on a thread of its own"));
                    thread.Start();
                    thread.Join();
                    break;
                case "hang":
                    // Ignores cancellation on purpose: a stuck chunk only a backup attempt or a restart gets past.
                    BlockForever();
                    break;
                case "deadlock":
                    DeadlockOnPurpose();
                    break;
                default:
                    throw new InvalidOperationException($"chaos: chunk {chunkIndex} always throws");
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
