using System.Buffers;

namespace Cluster.Jobs.BuiltIn.Primes;

/// <summary>
/// Counts primes in a range with a segmented sieve of Eratosthenes over odd numbers only. The base primes up to
/// the square root of <see cref="Limit"/> are computed once and shared (read-only) by every thread using the sieve.
/// </summary>
public sealed class PrimeSieve
{
    // One byte per odd number: 32 KiB covers 65,536 numbers and fits in L1, where the crossing-off happens.
    private const int SegmentBytes = 32 * 1024;

    // Odd primes whose multiples are pre-crossed by copying a repeating pattern instead of sieving: 3*5*7*11*13.
    private const int PatternPeriod = 15015;
    private const int FirstSievedPrime = 17;

    private readonly int[] _basePrimes;
    private readonly byte[] _pattern;

    /// <summary>Prepares to count primes below <paramref name="limit"/>.</summary>
    public PrimeSieve(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        Limit = limit;
        _basePrimes = OddPrimesUpTo(IntegerSqrt(Math.Max(0, limit - 1)));
        _pattern = BuildPattern();
    }

    /// <summary>The exclusive upper bound of ranges this sieve can count.</summary>
    public long Limit { get; }

    /// <summary>Counts the primes in [<paramref name="from"/>, <paramref name="to"/>) on the calling thread.</summary>
    public static long CountPrimes(long from, long to) => new PrimeSieve(to).Count(from, to);

    /// <summary>Counts the primes in [<paramref name="from"/>, <paramref name="to"/>); <paramref name="to"/> must not exceed <see cref="Limit"/>.</summary>
    public long Count(long from, long to, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, Limit);
        if (to <= from)
        {
            return 0;
        }

        long count = from <= 2 && to > 2 ? 1 : 0;
        var low = Math.Max(from, 3) | 1;
        if (low >= to)
        {
            return count;
        }

        // Odd numbers low, low + 2, ... below to; index i stands for low + 2i.
        var oddCount = (to - low + 1) / 2;
        var primeCount = CountBasePrimesNeeded(to - 1);
        var next = ArrayPool<long>.Shared.Rent(Math.Max(1, primeCount));
        var segment = ArrayPool<byte>.Shared.Rent(SegmentBytes);
        try
        {
            InitNextMultiples(low, primeCount, next);
            for (long start = 0; start < oddCount; start += SegmentBytes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var length = (int)Math.Min(SegmentBytes, oddCount - start);
                var first = low + (2 * start);
                var span = segment.AsSpan(0, length);
                PreSieve(first, span);
                CrossOff(span, start, first + (2L * (length - 1)), primeCount, next);
                count += span.Count((byte)1);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(segment);
            ArrayPool<long>.Shared.Return(next);
        }

        return count;
    }

    private int CountBasePrimesNeeded(long last)
    {
        var root = IntegerSqrt(last);
        var index = Array.BinarySearch(_basePrimes, (int)Math.Min(root, int.MaxValue));
        return index >= 0 ? index + 1 : ~index;
    }

    // The first odd multiple of each base prime at or after low that is at least p*p (smaller ones have a smaller factor).
    private void InitNextMultiples(long low, int primeCount, long[] next)
    {
        for (var k = 0; k < primeCount; k++)
        {
            long p = _basePrimes[k];
            var multiple = Math.Max(p * p, (low + p - 1) / p * p);
            if ((multiple & 1) == 0)
            {
                multiple += p;
            }

            next[k] = (multiple - low) / 2;
        }
    }

    private void PreSieve(long first, Span<byte> span)
    {
        var offset = (int)((first - 1) / 2 % PatternPeriod);
        _pattern.AsSpan(offset, span.Length).CopyTo(span);
        if (first <= 13)
        {
            // The pattern crosses off 3..13 themselves; put back those that fall in this segment.
            foreach (var p in (ReadOnlySpan<int>)[3, 5, 7, 11, 13])
            {
                var index = (p - first) / 2;
                if (p >= first && index < span.Length)
                {
                    span[(int)index] = 1;
                }
            }
        }
    }

    private unsafe void CrossOff(Span<byte> span, long start, long lastNumber, int primeCount, long[] next)
    {
        var length = span.Length;
        var end = start + length;
        fixed (byte* bits = span)
        {
            for (var k = 0; k < primeCount; k++)
            {
                long p = _basePrimes[k];
                if (p < FirstSievedPrime)
                {
                    continue;
                }

                if (p * p > lastNumber)
                {
                    break;
                }

                var j = next[k];
                if (j >= end)
                {
                    continue;
                }

                var i = (int)(j - start);
                var step = (int)p;
                for (; i < length; i += step)
                {
                    bits[i] = 0;
                }

                next[k] = start + i;
            }
        }
    }

    private static byte[] BuildPattern()
    {
        // pattern[i] describes the odd number 2i + 1; the tail repeats the start so any window of a segment can be copied.
        var pattern = new byte[PatternPeriod + SegmentBytes];
        for (var i = 0; i < pattern.Length; i++)
        {
            var n = (2L * i) + 1;
            pattern[i] = n % 3 == 0 || n % 5 == 0 || n % 7 == 0 || n % 11 == 0 || n % 13 == 0 ? (byte)0 : (byte)1;
        }

        return pattern;
    }

    private static int[] OddPrimesUpTo(long max)
    {
        if (max < 3)
        {
            return [];
        }

        var composite = new bool[max + 1];
        var primes = new List<int>();
        for (long n = 3; n <= max; n += 2)
        {
            if (composite[n])
            {
                continue;
            }

            primes.Add((int)n);
            for (var m = n * n; m <= max; m += 2 * n)
            {
                composite[m] = true;
            }
        }

        return [.. primes];
    }

    private static long IntegerSqrt(long n)
    {
        var r = (long)Math.Sqrt(n);
        while (r * r > n)
        {
            r--;
        }

        while ((r + 1) * (r + 1) <= n)
        {
            r++;
        }

        return r;
    }
}
