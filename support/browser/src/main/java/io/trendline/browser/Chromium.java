package io.trendline.browser;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real headless Chromium, driven with the W3C WebDriver protocol through ChromeDriver (Debian's
 * {@code chromium} and {@code chromium-driver} packages; {@code TRENDLINE_CHROMIUM} and {@code
 * TRENDLINE_CHROMEDRIVER} name other binaries). ChromeDriver takes a free port of its own and says
 * which; the browser gets a fresh profile under the given directory and no background networking.
 */
public final class Chromium implements AutoCloseable {
  private static final Pattern STARTED = Pattern.compile("started successfully on port (\\d+)");
  private static final Gson GSON = new Gson();

  private final Process driver;
  private final String base;
  private final String session;

  private Chromium(Process driver, String base, String session) {
    this.driver = driver;
    this.base = base;
    this.session = session;
  }

  public static String chromiumBinary() {
    String b = System.getenv("TRENDLINE_CHROMIUM");
    return b == null || b.isEmpty() ? "/usr/bin/chromium" : b;
  }

  public static String driverBinary() {
    String b = System.getenv("TRENDLINE_CHROMEDRIVER");
    return b == null || b.isEmpty() ? "/usr/bin/chromedriver" : b;
  }

  /**
   * Starts ChromeDriver and a browser window of {@code width}×{@code height} CSS pixels.
   *
   * @param dir for the driver's log and the browser's profile
   */
  public static Chromium start(Path dir, int width, int height) throws IOException {
    for (String b : new String[] {chromiumBinary(), driverBinary()}) {
      if (!Files.isExecutable(Paths.get(b))) {
        throw new IOException(
            b + " is missing: install Debian's chromium and chromium-driver (.ci/run does)");
      }
    }
    Files.createDirectories(dir);
    Path log = dir.resolve("chromedriver.log");
    ProcessBuilder pb =
        new ProcessBuilder(driverBinary(), "--port=0", "--log-path=" + log)
            .redirectErrorStream(true);
    Process p = pb.start();
    String port;
    try {
      port = awaitPort(p.getInputStream(), 30_000);
    } catch (IOException e) {
      p.destroyForcibly();
      throw e;
    }
    String base = "http://127.0.0.1:" + port;
    JsonObject options = new JsonObject();
    options.addProperty("binary", chromiumBinary());
    JsonArray args = new JsonArray();
    for (String a :
        new String[] {
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--hide-scrollbars",
          "--lang=en-US",
          "--user-data-dir=" + dir.resolve("profile").toAbsolutePath(),
          "--window-size=" + width + "," + height
        }) {
      args.add(a);
    }
    options.add("args", args);
    JsonObject always = new JsonObject();
    always.addProperty("browserName", "chrome");
    always.add("goog:chromeOptions", options);
    JsonObject caps = new JsonObject();
    caps.add("alwaysMatch", always);
    JsonObject body = new JsonObject();
    body.add("capabilities", caps);
    try {
      JsonObject value = call("POST", base + "/session", body).getAsJsonObject();
      return new Chromium(p, base, value.get("sessionId").getAsString());
    } catch (IOException | RuntimeException e) {
      p.destroyForcibly();
      throw new IOException("ChromeDriver could not start Chromium (see " + log + "): " + e, e);
    }
  }

  private static String awaitPort(InputStream out, long timeoutMs) throws IOException {
    CompletableFuture<String> port = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  Matcher m = STARTED.matcher(line);
                  if (m.find()) {
                    port.complete(m.group(1));
                  }
                }
                port.completeExceptionally(new IOException("ChromeDriver exited"));
              } catch (IOException e) {
                port.completeExceptionally(e);
              }
            },
            "chromedriver-out");
    t.setDaemon(true);
    t.start();
    try {
      return port.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (ExecutionException e) {
      throw new IOException("ChromeDriver did not start: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new IOException("ChromeDriver did not say its port within " + timeoutMs + " ms");
    }
  }

  /** Loads {@code url} (waits for the document's load event). */
  public void open(String url) throws IOException {
    JsonObject b = new JsonObject();
    b.addProperty("url", url);
    call("POST", session("/url"), b);
  }

  /**
   * Runs {@code script} (a function body: {@code return ...;}) in the page and returns its value as
   * JSON (null, a string, a number, an array or an object).
   */
  public JsonElement eval(String script) throws IOException {
    JsonObject b = new JsonObject();
    b.addProperty("script", script);
    b.add("args", new JsonArray());
    return call("POST", session("/execute/sync"), b);
  }

  /** {@link #eval} of a script returning a string (null when it returns null). */
  public String evalString(String script) throws IOException {
    JsonElement e = eval(script);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  /** Converts what {@link #eval} returned into {@code type} with Gson. */
  public static <T> T as(JsonElement e, Class<T> type) {
    return GSON.fromJson(e, type);
  }

  /** Saves what the window shows as a PNG file. */
  public void screenshot(Path png) throws IOException {
    String data = call("GET", session("/screenshot"), null).getAsString();
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, Base64.getDecoder().decode(data));
  }

  /**
   * Waits until {@code probe} returns non-null (evaluated every 50 ms), at most {@code timeoutMs}.
   *
   * @throws AssertionError naming {@code what} and the last value seen, on timeout
   */
  public static <T> T await(Probe<T> probe, Supplier<String> what, long timeoutMs)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what.get());
      }
      Thread.sleep(50);
    }
  }

  /** A check that may talk to the browser. */
  public interface Probe<T> {
    T get() throws IOException;
  }

  private String session(String path) {
    return base + "/session/" + session + path;
  }

  private static JsonElement call(String method, String url, JsonObject body) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setRequestMethod(method);
    c.setConnectTimeout(10_000);
    c.setReadTimeout(120_000);
    if (body != null) {
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/json; charset=utf-8");
      try (OutputStream out = c.getOutputStream()) {
        out.write(body.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    int status = c.getResponseCode();
    InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
    String text = in == null ? "" : read(in);
    if (status >= 400) {
      throw new IOException(
          "WebDriver " + method + " " + url + " answered " + status + ": " + text);
    }
    JsonElement answer = JsonParser.parseString(text);
    JsonElement value = answer.isJsonObject() ? answer.getAsJsonObject().get("value") : null;
    return value;
  }

  private static String read(InputStream in) throws IOException {
    try (InputStream i = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = i.read(buf)) > 0; ) {
        out.write(buf, 0, n);
      }
      return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
  }

  /** Ends the session (the browser quits) and the driver. */
  @Override
  public void close() {
    try {
      call("DELETE", base + "/session/" + session, null);
    } catch (IOException e) {
      // The driver is stopped below whatever the browser did.
    }
    driver.destroy();
    try {
      if (!driver.waitFor(10, TimeUnit.SECONDS)) {
        driver.destroyForcibly();
      }
    } catch (InterruptedException e) {
      driver.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
