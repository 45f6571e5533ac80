using System.Reflection;
using Cluster.Contracts.V1;
using Google.Protobuf.Reflection;

namespace Cluster.Tests.Contracts;

public sealed class ContractDescriptorsTests
{
    [Fact]
    public void All_EveryReflectionClassOfTheContract_Listed()
    {
        var declared = typeof(JobSpec).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p is not null && p.PropertyType == typeof(FileDescriptor) && p.DeclaringType!.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(p => ((FileDescriptor)p!.GetValue(null)!).Name)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(declared);
        Assert.Equal(declared, ContractDescriptors.All.Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void All_DependenciesOfEachFile_ComeBeforeIt()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in ContractDescriptors.All)
        {
            foreach (var dependency in file.Dependencies.Where(d => d.Package == file.Package))
            {
                Assert.Contains(dependency.Name, seen);
            }

            seen.Add(file.Name);
        }
    }
}
