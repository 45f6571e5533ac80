using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>
/// A static file server on loopback (Kestrel's static files: ranges answered 206, ETags from the file's time and
/// length) serving one folder, with hooks run on chosen range requests: to answer a failure instead, or to change a file.
/// </summary>
public sealed class RangeFileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<int, Func<HttpContext, bool>> _hooks = [];
    private int _rangeRequests;

    private RangeFileServer(WebApplication app) => _app = app;

    /// <summary>The server's address, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Range requests received so far.</summary>
    public int RangeRequests => Volatile.Read(ref _rangeRequests);

    /// <summary>Serves <paramref name="folder"/> on an ephemeral loopback port.</summary>
    public static async Task<RangeFileServer> StartAsync(string folder)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new RangeFileServer(app);
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Range.Count > 0)
            {
                var number = Interlocked.Increment(ref server._rangeRequests);
                Func<HttpContext, bool>? hook;
                lock (server._hooks)
                {
                    server._hooks.TryGetValue(number, out hook);
                }

                if (hook?.Invoke(context) == true)
                {
                    return;
                }
            }

            await next(context);
        });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder), ServeUnknownFileTypes = true });
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        server.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return server;
    }

    /// <summary>Runs <paramref name="hook"/> on the range request numbered <paramref name="number"/> (from 1); when it returns true, it answered the request itself.</summary>
    public void On(int number, Func<HttpContext, bool> hook)
    {
        lock (_hooks)
        {
            _hooks[number] = hook;
        }
    }

    /// <summary>The URL of <paramref name="name"/> in the served folder.</summary>
    public string Url(string name) => new Uri(Address, name).AbsoluteUri;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
