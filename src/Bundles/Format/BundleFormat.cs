using System.Buffers.Binary;
using System.Text;

#if CLUSTER_CLIENT
namespace Cluster.Client.Bundles;
#else
namespace Cluster.Bundles.Format;
#endif

/// <summary>One file of a bundle: its name (no directory) and its bytes.</summary>
internal sealed record BundleEntry(string Name, byte[] Content);

/// <summary>
/// The bundle's bytes: a magic, then each file as (name length, UTF-8 name, content length, content), files sorted by
/// ordinal name. Nothing else (no times, no permissions), so one set of files always packs to the same bytes and so the
/// same SHA-256.
/// </summary>
internal static class BundleFormat
{
    private const int MaxNameBytes = 255;
    private const int MaxEntries = 10_000;
    private static readonly byte[] Magic = "CLBUNDL1"u8.ToArray();

    public static byte[] Write(IEnumerable<BundleEntry> entries)
    {
        var sorted = entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        using var stream = new MemoryStream();
        stream.Write(Magic);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(number, sorted.Count);
        stream.Write(number[..4]);
        foreach (var entry in sorted)
        {
            CheckName(entry.Name);
            var name = Encoding.UTF8.GetBytes(entry.Name);
            BinaryPrimitives.WriteInt32LittleEndian(number, name.Length);
            stream.Write(number[..4]);
            stream.Write(name);
            BinaryPrimitives.WriteInt64LittleEndian(number, entry.Content.Length);
            stream.Write(number);
            stream.Write(entry.Content);
        }

        return stream.ToArray();
    }

    /// <summary>The files of a bundle.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a bundle; the message reads after "bundle ID".</exception>
    public static IReadOnlyList<BundleEntry> Read(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.StartsWith(Magic))
        {
            throw new InvalidDataException("is not in the bundle format: it does not start with the bundle format's magic (pack it with the cluster client)");
        }

        var at = Magic.Length;
        var count = ReadInt32(bytes, ref at);
        if (count is < 1 or > MaxEntries)
        {
            throw new InvalidDataException($"is damaged: it says it has {count} files (1 to {MaxEntries} allowed)");
        }

        var entries = new List<BundleEntry>(count);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < count; i++)
        {
            var nameLength = ReadInt32(bytes, ref at);
            if (nameLength is < 1 or > MaxNameBytes || bytes.Length - at < nameLength)
            {
                throw new InvalidDataException($"is damaged: file {i} has a name of {nameLength} bytes");
            }

            var name = Encoding.UTF8.GetString(bytes.Slice(at, nameLength));
            at += nameLength;
            CheckName(name);
            var length = ReadInt64(bytes, ref at);
            if (length < 0 || bytes.Length - at < length)
            {
                throw new InvalidDataException($"is damaged: file '{name}' is cut short");
            }

            if (!names.Add(name))
            {
                throw new InvalidDataException($"is damaged: file '{name}' appears twice");
            }

            entries.Add(new BundleEntry(name, bytes.Slice(at, (int)length).ToArray()));
            at += (int)length;
        }

        return at == bytes.Length ? entries : throw new InvalidDataException("is damaged: bytes follow its last file");
    }

    private static void CheckName(string name)
    {
        if ((name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0) && !NativeEntries.IsNative(name))
        {
            throw new InvalidDataException($"has a file named '{name}': bundle files are plain names, without directories, or native libraries as runtimes/RID/native/FILE");
        }
    }

    private static int ReadInt32(ReadOnlySpan<byte> bytes, ref int at)
    {
        if (bytes.Length - at < 4)
        {
            throw new InvalidDataException("is damaged: it ends in the middle of a header");
        }

        var value = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
        at += 4;
        return value;
    }

    private static long ReadInt64(ReadOnlySpan<byte> bytes, ref int at)
    {
        if (bytes.Length - at < 8)
        {
            throw new InvalidDataException("is damaged: it ends in the middle of a header");
        }

        var value = BinaryPrimitives.ReadInt64LittleEndian(bytes[at..]);
        at += 8;
        return value;
    }
}
