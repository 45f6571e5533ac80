using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Security;

/// <summary>Registers authentication: settings, the token store, the interceptor every RPC passes, and the reload and warning services.</summary>
internal static class SecurityServices
{
    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(Hosting.CoordinatorOptions.Section)).ValidateOnStart();
        services.AddSingleton<OpenStreams>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton<AuthFailureLog>();
        services.AddSingleton<AuthInterceptor>();
        services.AddHostedService<InsecureWarning>();
        services.AddHostedService<TokenReloader>();
        services.Configure<Grpc.AspNetCore.Server.GrpcServiceOptions>(o => o.Interceptors.Add<AuthInterceptor>());
        return services;
    }
}
