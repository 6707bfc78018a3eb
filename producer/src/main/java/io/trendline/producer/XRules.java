package io.trendline.producer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.trendline.common.Printable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A client of the filtered stream's rules endpoint, {@code /2/tweets/search/stream/rules}: list
 * (every page), add and delete, each optionally as X's {@code dry_run}. One request at a time,
 * bounded by a timeout; the bearer token goes in the header only. Thread-safe (stateless between
 * calls).
 */
final class XRules {
  static final String PATH = "/2/tweets/search/stream/rules";
  private static final int MAX_BODY = 4 << 20;

  /** Pages of 1,000 rules: far more than any access level holds. */
  private static final int MAX_PAGES = 1000;

  /** A rule: value and tag, and its id once X has one. Immutable. */
  static final class Rule {
    final String id;
    final String value;
    final String tag;

    Rule(String id, String value, String tag) {
      this.id = id;
      this.value = value;
      this.tag = tag;
    }

    @Override
    public String toString() {
      return (tag == null ? "" : tag + " ") + "'" + value + "'" + (id == null ? "" : " #" + id);
    }
  }

  /** A rule X refused: its value (or id), X's title and why. */
  static final class Refusal {
    final String value;
    final String id;
    final String title;
    final String detail;

    Refusal(String value, String id, String title, String detail) {
      this.value = value;
      this.id = id;
      this.title = title;
      this.detail = detail;
    }

    boolean duplicate() {
      return "DuplicateRule".equals(title);
    }
  }

  /** What an add or delete did: the rules created, those refused, the deleted count. */
  static final class Result {
    final List<Rule> created = new ArrayList<>();
    final List<Refusal> refused = new ArrayList<>();
    int deleted;
  }

  /** The endpoint could not be used: the message says why, in one line. */
  static final class RulesException extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    RulesException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private final String base;
  private final BearerToken token;
  private final int timeoutMs;

  XRules(String host, BearerToken token, Duration timeout) {
    this.base = host + PATH;
    this.token = token;
    this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
  }

  /** Every rule of the stream, following {@code next_token} across pages. */
  List<Rule> list() throws RulesException {
    List<Rule> rules = new ArrayList<>();
    String next = null;
    java.util.Set<String> tokens = new java.util.HashSet<>();
    do {
      if (next != null && (!tokens.add(next) || tokens.size() > MAX_PAGES)) {
        throw new RulesException(
            0, "the rules endpoint " + base + " keeps answering more pages; giving up");
      }
      String query = "?max_results=1000" + (next == null ? "" : "&pagination_token=" + enc(next));
      JsonObject page = call("GET", query, null);
      try {
        rules.addAll(rules(page.get("data")));
        JsonElement meta = page.get("meta");
        next =
            meta != null && meta.isJsonObject()
                ? string(meta.getAsJsonObject(), "next_token")
                : null;
      } catch (RuntimeException e) {
        throw unknownShape(e);
      }
    } while (next != null);
    return rules;
  }

  Result add(List<Rule> add, boolean dryRun) throws RulesException {
    JsonArray list = new JsonArray();
    for (Rule r : add) {
      JsonObject o = new JsonObject();
      o.addProperty("value", r.value);
      if (r.tag != null) {
        o.addProperty("tag", r.tag);
      }
      list.add(o);
    }
    JsonObject body = new JsonObject();
    body.add("add", list);
    return parsed(call("POST", dryRun ? "?dry_run=true" : "", body.toString()));
  }

  Result delete(List<String> ids, boolean dryRun) throws RulesException {
    JsonArray list = new JsonArray();
    for (String id : ids) {
      list.add(id);
    }
    JsonObject delete = new JsonObject();
    delete.add("ids", list);
    JsonObject body = new JsonObject();
    body.add("delete", delete);
    return parsed(call("POST", dryRun ? "?dry_run=true" : "", body.toString()));
  }

  /** The answer read, or a {@link RulesException} when it is not in the shape X documents. */
  private Result parsed(JsonObject answer) throws RulesException {
    try {
      return result(answer);
    } catch (RuntimeException e) {
      throw unknownShape(e);
    }
  }

  private RulesException unknownShape(RuntimeException e) {
    return new RulesException(
        0,
        "the rules endpoint "
            + base
            + " answered in an unknown shape: "
            + Printable.firstLine(String.valueOf(e.getMessage())));
  }

  private static Result result(JsonObject answer) {
    Result r = new Result();
    r.created.addAll(rules(answer.get("data")));
    JsonElement errors = answer.get("errors");
    if (errors != null && errors.isJsonArray()) {
      for (JsonElement e : errors.getAsJsonArray()) {
        if (!e.isJsonObject()) {
          continue;
        }
        JsonObject o = e.getAsJsonObject();
        String detail = string(o, "detail");
        JsonElement details = o.get("details");
        if (details != null && details.isJsonArray() && details.getAsJsonArray().size() > 0) {
          StringBuilder sb = new StringBuilder();
          for (JsonElement d : details.getAsJsonArray()) {
            sb.append(sb.length() > 0 ? "; " : "")
                .append(d.isJsonPrimitive() ? d.getAsString() : d.toString());
          }
          detail = sb.toString();
        }
        if (detail == null) {
          detail = string(o, "message");
        }
        r.refused.add(
            new Refusal(
                string(o, "value"),
                string(o, "id"),
                string(o, "title") == null ? "error" : string(o, "title"),
                detail == null ? "" : detail));
      }
    }
    JsonElement meta = answer.get("meta");
    if (meta != null && meta.isJsonObject()) {
      JsonElement summary = meta.getAsJsonObject().get("summary");
      if (summary != null && summary.isJsonObject()) {
        JsonElement deleted = summary.getAsJsonObject().get("deleted");
        r.deleted =
            deleted != null && deleted.isJsonPrimitive() && deleted.getAsJsonPrimitive().isNumber()
                ? deleted.getAsInt()
                : 0;
      }
    }
    return r;
  }

  private static List<Rule> rules(JsonElement data) {
    if (data == null || !data.isJsonArray()) {
      return Collections.emptyList();
    }
    List<Rule> out = new ArrayList<>();
    for (JsonElement e : data.getAsJsonArray()) {
      if (e.isJsonObject()) {
        JsonObject o = e.getAsJsonObject();
        if (string(o, "id") != null && string(o, "value") != null) {
          out.add(new Rule(string(o, "id"), string(o, "value"), string(o, "tag")));
        }
      }
    }
    return out;
  }

  /**
   * One request. A 2xx answer, or a 400 that lists refused rules, is returned parsed; anything else
   * is a {@link RulesException} naming the status and X's title and detail.
   */
  private JsonObject call(String method, String query, String body) throws RulesException {
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) new URL(base + query).openConnection();
      c.setRequestMethod(method);
      c.setConnectTimeout(timeoutMs);
      c.setReadTimeout(timeoutMs);
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setRequestProperty("Authorization", token.header());
      c.setRequestProperty("Accept", "application/json");
      if (body != null) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        c.setFixedLengthStreamingMode(b.length);
        try (OutputStream out = c.getOutputStream()) {
          out.write(b);
        }
      }
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String text = in == null ? "" : read(in);
      JsonObject json = parse(text);
      if (json != null && (status / 100 == 2 || (status == 400 && json.has("meta")))) {
        return json; // a 400 with meta lists refused rules in errors
      }
      throw new RulesException(status, describe(method, status, c, json, text));
    } catch (IOException e) {
      throw new RulesException(
          0,
          "cannot reach the rules endpoint "
              + base
              + ": "
              + Printable.firstLine(String.valueOf(e.getMessage())));
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
  }

  private String describe(
      String method, int status, HttpURLConnection c, JsonObject json, String text) {
    StringBuilder sb = new StringBuilder();
    sb.append("the rules endpoint ")
        .append(base)
        .append(" answered ")
        .append(method)
        .append(" with HTTP ")
        .append(status);
    String title = json == null ? null : string(json, "title");
    String detail = json == null ? null : string(json, "detail");
    if (title != null) {
      sb.append(": ").append(title);
    }
    if (detail != null && !detail.equals(title)) {
      sb.append(" (").append(detail).append(')');
    }
    if (json == null && !text.isEmpty()) {
      sb.append(": ")
          .append(Printable.firstLine(text.length() > 200 ? text.substring(0, 200) : text));
    }
    if (status == 401 || status == 403) {
      sb.append(
          "; check the bearer token (TWITTER_BEARER_TOKEN or bearer.token in the credentials file) and that the app's access level includes the filtered stream");
    } else if (status == 429) {
      String reset = c.getHeaderField("x-rate-limit-reset");
      if (reset != null) {
        sb.append("; the rate limit resets at ").append(reset).append(" (Unix seconds)");
      }
    }
    return sb.toString();
  }

  private static JsonObject parse(String text) {
    try {
      JsonElement e = JsonParser.parseString(text);
      return e.isJsonObject() ? e.getAsJsonObject() : null;
    } catch (JsonParseException e) {
      return null;
    }
  }

  private static String read(InputStream in) throws IOException {
    try (InputStream s = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = s.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        if (out.size() > MAX_BODY) {
          throw new IOException("answer larger than " + MAX_BODY + " bytes");
        }
      }
      return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
  }

  private static String string(JsonObject o, String field) {
    JsonElement e = o.get(field);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
  }

  private static String enc(String s) {
    try {
      return URLEncoder.encode(s, "UTF-8");
    } catch (java.io.UnsupportedEncodingException e) {
      throw new AssertionError(e);
    }
  }
}
