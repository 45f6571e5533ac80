using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Limits;

/// <summary>
/// Counts what each client holds (queued jobs, watches, submit streams) and refuses what would exceed its limit with
/// <c>ResourceExhausted</c> naming the limit, its value and its setting key. A client's entry is dropped when it holds
/// nothing, so the memory is bounded by what clients hold, not by how many ever called.
/// </summary>
internal sealed class ClientLimits(IOptions<LimitsOptions> options)
{
    private readonly LimitsOptions _options = options.Value;
    private readonly Dictionary<(ClientLimit, string), int> _held = [];
    private readonly Lock _gate = new();

    /// <summary>Takes one unit of <paramref name="limit"/> for <paramref name="client"/>; disposing the lease gives it back (once).</summary>
    /// <exception cref="RpcException"><c>ResourceExhausted</c> when the client already holds the most it may.</exception>
    public IDisposable Enter(ClientLimit limit, string client)
    {
        var max = Max(limit);
        lock (_gate)
        {
            var held = _held.GetValueOrDefault((limit, client));
            if (held >= max)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, Describe(limit, max)));
            }

            _held[(limit, client)] = held + 1;
        }

        return new Lease(this, limit, client);
    }

    /// <summary>What <paramref name="client"/> holds of <paramref name="limit"/> now.</summary>
    public int Held(ClientLimit limit, string client)
    {
        lock (_gate)
        {
            return _held.GetValueOrDefault((limit, client));
        }
    }

    /// <summary>The sentence a refusal carries, for example "jobs queued per client: at most 100 (Coordinator:Limits:MaxQueuedJobsPerClient)".</summary>
    public static string Describe(ClientLimit limit, int max) => limit switch
    {
        ClientLimit.QueuedJobs => $"jobs queued per client: at most {max} ({LimitsOptions.Section}:{nameof(LimitsOptions.MaxQueuedJobsPerClient)})",
        ClientLimit.Watches => $"concurrent watches per client: at most {max} ({LimitsOptions.Section}:{nameof(LimitsOptions.MaxWatchesPerClient)})",
        _ => $"concurrent SubmitJob and UploadBundle streams per client: at most {max} ({LimitsOptions.Section}:{nameof(LimitsOptions.MaxSubmitStreamsPerClient)})",
    };

    private int Max(ClientLimit limit) => limit switch
    {
        ClientLimit.QueuedJobs => _options.MaxQueuedJobsPerClient,
        ClientLimit.Watches => _options.MaxWatchesPerClient,
        _ => _options.MaxSubmitStreamsPerClient,
    };

    private void Release(ClientLimit limit, string client)
    {
        lock (_gate)
        {
            var held = _held.GetValueOrDefault((limit, client)) - 1;
            if (held <= 0)
            {
                _held.Remove((limit, client));
            }
            else
            {
                _held[(limit, client)] = held;
            }
        }
    }

    private sealed class Lease(ClientLimits owner, ClientLimit limit, string client) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(limit, client);
            }
        }
    }
}
