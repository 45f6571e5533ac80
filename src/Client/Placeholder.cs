namespace Cluster.Client;
