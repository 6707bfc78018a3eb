package io.trendline.streamserver;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rules endpoint of the v2 filtered stream, {@code /2/tweets/search/stream/rules}: {@code GET}
 * lists, {@code POST {"add":[{"value","tag"}]}} or {@code {"delete":{"ids":[...]}}} changes, with
 * {@code ?dry_run=true} to check without changing. Answers in X's shapes: {@code data}, {@code
 * errors} (one per refused rule: value, title, type, details), {@code meta.summary}. Stateless.
 */
final class V2Rules {
  private static final String PROBLEMS = "https://api.twitter.com/2/problems/";
  private static final DateTimeFormatter SENT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /** An HTTP answer: status and JSON body, and a line for the server's log. */
  static final class Answer {
    final int status;
    final String body;
    final String log;

    Answer(int status, String body, String log) {
      this.status = status;
      this.body = body;
      this.log = log;
    }
  }

  private V2Rules() {}

  static String list(RuleSet rules, Clock clock) {
    List<RuleSet.Entry> list = rules.list();
    return Json.write(
        w -> {
          w.beginObject();
          if (!list.isEmpty()) {
            w.name("data").beginArray();
            for (RuleSet.Entry e : list) {
              entry(w, e);
            }
            w.endArray();
          }
          w.name("meta").beginObject();
          w.name("sent").value(SENT.format(clock.instant()));
          w.name("result_count").value(list.size());
          w.endObject();
          w.endObject();
        });
  }

  static Answer change(RuleSet rules, HttpRequest req, Clock clock) {
    boolean dryRun = "true".equals(req.query.get("dry_run"));
    JsonObject body;
    try {
      JsonElement e = JsonParser.parseString(new String(req.body, StandardCharsets.UTF_8));
      if (!e.isJsonObject()) {
        return invalid("the body must be a JSON object");
      }
      body = e.getAsJsonObject();
    } catch (JsonParseException e) {
      return invalid("the body is not JSON");
    }
    boolean add = body.has("add");
    boolean delete = body.has("delete");
    if (add == delete) {
      return invalid("give exactly one of add and delete");
    }
    if (add) {
      List<String[]> wanted = new ArrayList<>();
      JsonElement list = body.get("add");
      if (!list.isJsonArray() || list.getAsJsonArray().size() == 0) {
        return invalid("add must be a non-empty array of rules");
      }
      for (JsonElement r : list.getAsJsonArray()) {
        if (!r.isJsonObject() || !isString(r.getAsJsonObject().get("value"))) {
          return invalid("each rule to add needs a string value");
        }
        JsonElement tag = r.getAsJsonObject().get("tag");
        if (tag != null && !tag.isJsonNull() && !isString(tag)) {
          return invalid("a rule's tag must be a string");
        }
        wanted.add(
            new String[] {
              r.getAsJsonObject().get("value").getAsString(),
              tag == null || tag.isJsonNull() ? null : tag.getAsString()
            });
      }
      RuleSet.Change c = rules.add(wanted, dryRun);
      int created = dryRun ? 0 : c.created.size();
      String json =
          Json.write(
              w -> {
                w.beginObject();
                if (!c.created.isEmpty()) {
                  w.name("data").beginArray();
                  for (RuleSet.Entry e : c.created) {
                    entry(w, e);
                  }
                  w.endArray();
                }
                problems(w, c.problems);
                w.name("meta").beginObject();
                w.name("sent").value(SENT.format(clock.instant()));
                w.name("summary").beginObject();
                w.name("created").value(created);
                w.name("not_created").value(wanted.size() - created);
                w.name("valid").value(c.valid);
                w.name("invalid").value(c.invalid);
                w.endObject().endObject();
                w.endObject();
              });
      // 400 when nothing could be created; 201 when something was.
      int status = c.created.isEmpty() && c.invalid > 0 ? 400 : created > 0 ? 201 : 200;
      return new Answer(
          status,
          json,
          (dryRun ? "dry run: " : "")
              + "added "
              + c.created.size()
              + ", refused "
              + c.problems.size());
    }
    JsonElement d = body.get("delete");
    JsonElement ids = d.isJsonObject() ? d.getAsJsonObject().get("ids") : null;
    if (ids == null || !ids.isJsonArray() || ids.getAsJsonArray().size() == 0) {
      return invalid("delete needs a non-empty ids array");
    }
    List<String> idList = new ArrayList<>();
    for (JsonElement id : ids.getAsJsonArray()) {
      if (!isString(id)) {
        return invalid("rule ids are strings");
      }
      idList.add(id.getAsString());
    }
    RuleSet.Change c = rules.delete(idList, dryRun);
    String json =
        Json.write(
            w -> {
              w.beginObject();
              problems(w, c.problems);
              w.name("meta").beginObject();
              w.name("sent").value(SENT.format(clock.instant()));
              w.name("summary").beginObject();
              w.name("deleted").value(c.deleted);
              w.name("not_deleted").value(c.notDeleted);
              w.endObject().endObject();
              w.endObject();
            });
    return new Answer(
        200, json, (dryRun ? "dry run: " : "") + "deleted " + c.deleted + " of " + idList.size());
  }

  private static boolean isString(JsonElement e) {
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
  }

  private static void entry(JsonWriter w, RuleSet.Entry e) throws IOException {
    w.beginObject().name("id").value(e.id).name("value").value(e.value);
    if (e.tag != null) {
      w.name("tag").value(e.tag);
    }
    w.endObject();
  }

  private static void problems(JsonWriter w, List<RuleSet.Problem> problems) throws IOException {
    if (problems.isEmpty()) {
      return;
    }
    w.name("errors").beginArray();
    for (RuleSet.Problem p : problems) {
      w.beginObject();
      if (p.value != null) {
        w.name("value").value(p.value);
      }
      if (p.id != null) {
        w.name("id").value(p.id);
      }
      w.name("title").value(p.title);
      w.name("type").value(PROBLEMS + p.type);
      w.name("details").beginArray().value(p.detail).endArray();
      w.endObject();
    }
    w.endArray();
  }

  private static Answer invalid(String message) {
    String json =
        Json.write(
            w -> {
              w.beginObject();
              w.name("errors").beginArray().beginObject();
              w.name("message").value(message);
              w.endObject().endArray();
              w.name("title").value("Invalid Request");
              w.name("detail").value("One or more parameters to your request was invalid.");
              w.name("type").value(PROBLEMS + "invalid-request");
              w.endObject();
            });
    return new Answer(400, json, "invalid request: " + message);
  }
}
