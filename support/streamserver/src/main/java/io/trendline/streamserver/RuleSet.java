package io.trendline.streamserver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The filtered stream's rules, shared by every v2 stream of the server (as X keeps one rule set per
 * app): changes apply to open streams at once, without reconnecting. Thread-safe: changes are
 * serialised, readers see an immutable snapshot.
 *
 * <p>As X does: an add request with any invalid rule (syntax, length, over the rule cap) creates
 * none of its rules; a rule whose value is already there is not created again ({@code
 * DuplicateRule}, counted invalid) while the others are; a delete of an unknown id deletes nothing
 * for it. A dry run answers the same and changes nothing.
 */
final class RuleSet {
  /** One rule as stored. Immutable. */
  static final class Entry {
    final String id;
    final String value;
    final String tag;
    final Rule rule;

    Entry(String id, String value, String tag, Rule rule) {
      this.id = id;
      this.value = value;
      this.tag = tag;
      this.rule = rule;
    }
  }

  /** A rule X refused, with why. */
  static final class Problem {
    final String value;
    final String id;
    final String title;
    final String type;
    final String detail;

    Problem(String value, String id, String title, String type, String detail) {
      this.value = value;
      this.id = id;
      this.title = title;
      this.type = type;
      this.detail = detail;
    }
  }

  /** What an add or delete did (or, in a dry run, would do). */
  static final class Change {
    final List<Entry> created = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    int valid;
    int invalid;
    int deleted;
    int notDeleted;
  }

  /** The first rule id: X's ids are 19-digit numbers. */
  private static final long FIRST_ID = 1_790_000_000_000_000_000L;

  private final int maxRules;
  private final int maxLength;
  private volatile List<Entry> rules = Collections.emptyList();
  private long nextId = FIRST_ID;

  /**
   * @param maxRules how many rules the stream may hold (X: 1,000 for Pro and pay-per-use)
   * @param maxLength the longest rule value, in characters (X: 1,024 for those levels)
   */
  RuleSet(int maxRules, int maxLength) {
    if (maxRules < 1 || maxLength < 1) {
      throw new IllegalArgumentException("rule limits must be positive");
    }
    this.maxRules = maxRules;
    this.maxLength = maxLength;
  }

  int maxLength() {
    return maxLength;
  }

  /** The rules now, in the order they were created. */
  List<Entry> list() {
    return rules;
  }

  /** The {@code [id, tag]} of each rule {@code post} matches, in rule order. */
  List<String[]> matching(V2Post post) {
    List<String[]> matched = null;
    for (Entry e : rules) {
      if (e.rule.matches(post)) {
        if (matched == null) {
          matched = new ArrayList<>(2);
        }
        matched.add(new String[] {e.id, e.tag});
      }
    }
    return matched == null ? Collections.<String[]>emptyList() : matched;
  }

  /** Adds rules, each {@code [value, tag]} (tag may be null). */
  synchronized Change add(List<String[]> add, boolean dryRun) {
    Change c = new Change();
    Map<String, Entry> byValue = new LinkedHashMap<>();
    for (Entry e : rules) {
      byValue.put(e.value, e);
    }
    List<Entry> toCreate = new ArrayList<>();
    Set<String> inRequest = new HashSet<>();
    int refusedBySyntax = 0;
    for (String[] vt : add) {
      String value = vt[0];
      Rule rule;
      try {
        rule = Rule.parse(value, maxLength);
      } catch (Rule.Invalid e) {
        c.invalid++;
        refusedBySyntax++;
        c.problems.add(
            new Problem(
                value,
                null,
                e.type.equals("rule-length") ? "RuleLengthExceeded" : "UnprocessableEntity",
                e.type,
                e.getMessage()));
        continue;
      }
      Entry existing = byValue.get(value);
      if (existing != null || !inRequest.add(value)) {
        c.invalid++; // as X counts a duplicate
        c.problems.add(
            new Problem(
                value,
                existing == null ? null : existing.id,
                "DuplicateRule",
                "duplicate-rules",
                "A rule with this value already exists."));
        continue;
      }
      c.valid++;
      toCreate.add(new Entry(null, value, vt[1], rule));
    }
    if (refusedBySyntax == 0 && rules.size() + toCreate.size() > maxRules) {
      c.problems.add(
          new Problem(
              null,
              null,
              "RulesCapExceeded",
              "rule-cap",
              "This stream may hold at most "
                  + maxRules
                  + " rules; it holds "
                  + rules.size()
                  + " and "
                  + toCreate.size()
                  + " more were asked for."));
      c.invalid += toCreate.size();
      c.valid -= toCreate.size();
      return c;
    }
    if (refusedBySyntax > 0) {
      return c;
    }
    long id = nextId;
    List<Entry> next = new ArrayList<>(rules);
    for (Entry e : toCreate) {
      Entry created = new Entry(Long.toString(id++), e.value, e.tag, e.rule);
      c.created.add(created);
      next.add(created);
    }
    if (!dryRun) {
      nextId = id;
      rules = Collections.unmodifiableList(next);
    }
    return c;
  }

  /** Deletes rules by id. */
  synchronized Change delete(List<String> ids, boolean dryRun) {
    Change c = new Change();
    Set<String> gone = new HashSet<>();
    Set<String> known = new HashSet<>();
    for (Entry e : rules) {
      known.add(e.id);
    }
    for (String id : ids) {
      if (known.contains(id) && gone.add(id)) {
        c.deleted++;
      } else {
        c.notDeleted++;
        c.problems.add(
            new Problem(null, id, "Rule not found", "not-found", "No rule has the id " + id + "."));
      }
    }
    if (!dryRun && !gone.isEmpty()) {
      List<Entry> next = new ArrayList<>();
      for (Entry e : rules) {
        if (!gone.contains(e.id)) {
          next.add(e);
        }
      }
      rules = Collections.unmodifiableList(next);
    }
    return c;
  }
}
