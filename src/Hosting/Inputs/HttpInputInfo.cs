namespace Cluster.Hosting.Inputs;

/// <summary>What the coordinator learns of an input over HTTP(S) at submission, and what every range read checks again.</summary>
/// <param name="Length">The resource's length in bytes.</param>
/// <param name="ETag">Its entity tag as the server sent it (with quotes, and <c>W/</c> if weak), or empty when it sent none.</param>
public sealed record HttpInputInfo(long Length, string ETag);
