using System.Reflection;
using Cluster.Contracts.V1;
using Google.Protobuf.Reflection;

namespace Cluster.Tests.Contracts;

public sealed class DescriptorInitializerTests
{
    [Fact]
    public void Initialize_EveryReflectionClassOfTheContract_IsBuiltBeforeUse()
    {
        var declared = typeof(JobSpec).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p is not null && p.PropertyType == typeof(FileDescriptor) && p.DeclaringType!.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(p => ((FileDescriptor)p!.GetValue(null)!).Name)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(declared);
        Assert.Equal(declared, DescriptorInitializer.Files.Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Initialize_DependenciesOfEachFile_ComeBeforeIt()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in DescriptorInitializer.Files)
        {
            foreach (var dependency in file.Dependencies.Where(d => d.Package == file.Package))
            {
                Assert.Contains(dependency.Name, seen);
            }

            seen.Add(file.Name);
        }
    }
}
