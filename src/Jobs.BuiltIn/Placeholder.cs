namespace Cluster.Jobs.BuiltIn;
