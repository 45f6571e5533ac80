using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's Chromium, headless, driven over the Chrome DevTools protocol (a WebSocket of JSON commands): enough to
/// load a page, evaluate script in it and take a screenshot. Disposing closes it, kills the process and deletes its profile.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly RunningTool _process;
    private readonly DirectoryInfo _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private HeadlessChromium(RunningTool process, DirectoryInfo profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser's executable, or null where it is not installed.</summary>
    public static string? Find() => ToolProcess.Find("chromium") ?? ToolProcess.Find("chromium-browser");

    /// <summary>Starts the browser with a fresh profile and attaches to its page.</summary>
    public static async Task<HeadlessChromium> StartAsync(string executable, TimeSpan timeout)
    {
        var profile = Directory.CreateTempSubdirectory("cluster-chromium-");
        var process = ToolProcess.Start(executable, [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1400,1050", $"--user-data-dir={profile.FullName}", "about:blank"]);
        var browser = new HeadlessChromium(process, profile);
        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            var portFile = Path.Combine(profile.FullName, "DevToolsActivePort");
            while (!File.Exists(portFile) || File.ReadAllLines(portFile).Length < 2)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }

            var port = File.ReadAllLines(portFile)[0].Trim();
            using var http = new HttpClient();
            var targets = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{port}/json/list", deadline.Token);
            var page = targets.EnumerateArray().First(t => t.GetProperty("type").GetString() == "page");
            await browser._socket.ConnectAsync(new Uri(page.GetProperty("webSocketDebuggerUrl").GetString()!), deadline.Token);
            browser._receiving = browser.ReceiveAsync();
            await browser.SendAsync("Page.enable");
            await browser.SendAsync("Runtime.enable");
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>The browser's own output, for the test log.</summary>
    public IReadOnlyList<string> Output => _process.Output;

    /// <summary>Sends one command and returns its result; fails on a protocol error.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _send.WaitAsync(CommandTimeout);
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        }
        finally
        {
            _send.Release();
        }

        var reply = await answer.Task.WaitAsync(CommandTimeout);
        return reply.TryGetProperty("error", out var error)
            ? throw new InvalidOperationException($"DevTools {method} failed: {error}")
            : reply.GetProperty("result");
    }

    public Task NavigateAsync(Uri url) => SendAsync("Page.navigate", new { url = url.ToString() });

    /// <summary>Evaluates <paramref name="expression"/> in the page (promises awaited) and returns its value as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException($"Script failed: {exception}");
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Polls <paramref name="expression"/> until it gives something other than null, undefined or false.</summary>
    public async Task<JsonElement> WaitForAsync(string expression, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var value = await EvaluateAsync(expression);
            if (value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.False))
            {
                return value;
            }

            if (deadline.IsCancellationRequested)
            {
                var text = await EvaluateAsync("document.body ? document.body.innerText.slice(0, 2000) : ''");
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}; the page showed: {text}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }
    }

    /// <summary>A PNG of the page as it is shown.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true });
        return Convert.FromBase64String(result.GetProperty("data").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or TimeoutException)
        {
            // The socket closes as the browser goes; its reader ends either way.
        }

        _socket.Dispose();
        _process.Dispose();
        _stop.Dispose();
        _send.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file the exiting browser still writes: the temporary folder is left for the system to clean.
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            var received = await _socket.ReceiveAsync(buffer, _stop.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
            {
                continue;
            }

            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
            message.SetLength(0);
            if (document.RootElement.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var answer))
            {
                answer.TrySetResult(document.RootElement.Clone());
            }
        }

        foreach (var answer in _pending.Values)
        {
            answer.TrySetException(new InvalidOperationException("The browser closed its DevTools connection."));
        }
    }
}
