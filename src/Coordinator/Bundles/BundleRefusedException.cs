namespace Cluster.Coordinator.Bundles;

/// <summary>The operator's settings refuse a bundle (shipping off, or not on the allow-list): PermissionDenied.</summary>
internal sealed class BundleRefusedException(string message) : Exception(message);

/// <summary>A bundle over the size limit: ResourceExhausted.</summary>
internal sealed class BundleTooLargeException(string message) : Exception(message);
