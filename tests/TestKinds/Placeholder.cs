namespace Cluster.TestKinds;
