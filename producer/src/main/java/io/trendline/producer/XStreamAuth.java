package io.trendline.producer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.twitter.hbc.httpclient.auth.Authentication;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.impl.client.AbstractHttpClient;

/**
 * Hosebird's authentication for the X API v2: each request carries {@code Authorization: Bearer
 * ...}. It also watches the answers to the stream requests, which Hosebird reports by status line
 * only, and keeps what the back-off and the operator need of the last refusal: the status, the rate
 * limit's reset time and X's problem (title, detail, connection issue). Thread-safe: written by
 * Hosebird's thread, read by the pipeline's and the back-off.
 */
final class XStreamAuth implements Authentication {
  /** Larger error bodies are not read: X's problems are a few hundred bytes. */
  private static final int MAX_ERROR_BODY = 64 * 1024;

  /** The last answer that was not 200. Immutable. */
  static final class Refusal {
    final int status;

    /** {@code x-rate-limit-reset}, Unix seconds; -1 when absent. */
    final long resetEpochSeconds;

    final String title;
    final String detail;
    final String connectionIssue;

    Refusal(int status, long resetEpochSeconds, String title, String detail, String issue) {
      this.status = status;
      this.resetEpochSeconds = resetEpochSeconds;
      this.title = title;
      this.detail = detail;
      this.connectionIssue = issue;
    }

    boolean tooManyConnections() {
      return "TooManyConnections".equals(connectionIssue);
    }

    /** "ConnectionException: This stream is at ... (TooManyConnections)", or "". */
    String describe() {
      StringBuilder sb = new StringBuilder();
      if (title != null) {
        sb.append(title);
      }
      if (detail != null && !detail.equals(title)) {
        sb.append(sb.length() > 0 ? ": " : "").append(detail);
      }
      if (connectionIssue != null) {
        sb.append(" (").append(connectionIssue).append(')');
      }
      return io.trendline.common.Printable.of(sb.toString(), 300);
    }
  }

  private final BearerToken token;
  private volatile Refusal lastRefusal;

  XStreamAuth(BearerToken token) {
    this.token = token;
  }

  @Override
  public void setupConnection(AbstractHttpClient client) {
    client.addResponseInterceptor((response, context) -> watch(response));
  }

  @Override
  public void signRequest(HttpUriRequest request, String postContent) {
    request.setHeader("Authorization", token.header());
  }

  /** The last refusal seen; null before any. */
  Refusal lastRefusal() {
    return lastRefusal;
  }

  void watch(HttpResponse response) throws IOException {
    int status = response.getStatusLine().getStatusCode();
    if (status < 400) {
      return;
    }
    long reset = -1;
    Header h = response.getFirstHeader("x-rate-limit-reset");
    if (h != null) {
      try {
        reset = Long.parseLong(h.getValue().trim());
      } catch (NumberFormatException e) {
        reset = -1;
      }
    }
    String title = null;
    String detail = null;
    String issue = null;
    HttpEntity entity = response.getEntity();
    if (entity != null && entity.getContentLength() <= MAX_ERROR_BODY) {
      // Read at most MAX_ERROR_BODY bytes (a chunked body has no length), and put them back.
      byte[] body = readBounded(entity);
      response.setEntity(new ByteArrayEntity(body));
      String text = new String(body, StandardCharsets.UTF_8).trim();
      JsonElement e = null;
      try {
        e = JsonParser.parseString(text);
      } catch (JsonParseException ex) {
        e = null;
      }
      if (e != null && e.isJsonObject()) {
        JsonObject o = e.getAsJsonObject();
        title = string(o, "title");
        detail = string(o, "detail");
        issue = string(o, "connection_issue");
        if (detail == null) {
          detail = string(o, "reason");
        }
      } else if (!text.isEmpty()) {
        detail = text.length() > 200 ? text.substring(0, 200) : text;
      }
    }
    lastRefusal = new Refusal(status, reset, title, detail, issue);
  }

  private static byte[] readBounded(HttpEntity entity) throws IOException {
    try (InputStream in = entity.getContent()) {
      if (in == null) {
        return new byte[0];
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      for (int n; out.size() < MAX_ERROR_BODY && (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, Math.min(n, MAX_ERROR_BODY - out.size()));
      }
      return out.toByteArray();
    }
  }

  private static String string(JsonObject o, String field) {
    JsonElement e = o.get(field);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
  }

  @Override
  public String toString() {
    return token.toString();
  }
}
