package io.trendline.producer;

import io.trendline.common.Keyword;
import io.trendline.common.KeywordList;
import io.trendline.common.Printable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes the filtered stream's rules match the keyword list, touching only the producer's own rules
 * (those tagged {@value #TAG_PREFIX}...): one rule per keyword, tagged with it; what is missing is
 * added, what is ours and no longer wanted is deleted, every other rule is left alone (another
 * application may share the stream). Rules X refuses are reported one line each, with X's reason.
 *
 * <p>Track semantics in rule syntax: each word of a keyword matches as a keyword of the post's text
 * or of its expanded URLs ({@code w OR url:w}, as track matched URLs), and a phrase's words are
 * ANDed in any order: {@code "lamp lit"} becomes {@code (lamp OR url:lamp) (lit OR url:lit)}.
 */
final class RulesSync {
  static final String TAG_PREFIX = "trendline:";

  /** Which of the stream's rules stand for which keyword: by rule id, and by our tag. */
  static final class RuleMap {
    private final Map<String, Keyword> byId = new HashMap<>();
    private final Map<String, Keyword> byTag = new HashMap<>();
    private int refused;

    RuleMap(KeywordList keywords) {
      for (Keyword k : keywords) {
        byTag.put(tag(k), k);
      }
    }

    void put(String id, Keyword keyword) {
      byId.put(id, keyword);
    }

    /** The keyword a matching rule stands for, or null when it is not one of ours. */
    Keyword keyword(String id, String tag) {
      Keyword k = id == null ? null : byId.get(id);
      return k != null ? k : tag == null ? null : byTag.get(tag);
    }

    /** Whether {@code k} has a rule on the stream (X refused none of it). */
    boolean covers(Keyword k) {
      return byId.containsValue(k);
    }

    /** Rules of ours (or equal to ours) on the stream. */
    int size() {
      return byId.size();
    }

    /** Keywords whose rule X refused. */
    int refused() {
      return refused;
    }
  }

  /** What must change. */
  static final class Plan {
    final List<XRules.Rule> keep = new ArrayList<>();
    final List<XRules.Rule> add = new ArrayList<>();
    final List<XRules.Rule> delete = new ArrayList<>();
    final List<XRules.Rule> foreign = new ArrayList<>();
  }

  private RulesSync() {}

  static String tag(Keyword k) {
    return TAG_PREFIX + k.term();
  }

  /** The rule value standing for {@code k}'s track semantics. */
  static String value(Keyword k) {
    List<String> words = k.words();
    if (words.size() == 1) {
      return words.get(0) + " OR url:" + words.get(0);
    }
    StringBuilder sb = new StringBuilder();
    for (String w : words) {
      sb.append(sb.length() > 0 ? " " : "")
          .append('(')
          .append(w)
          .append(" OR url:")
          .append(w)
          .append(')');
    }
    return sb.toString();
  }

  /** What to change so that {@code existing} holds exactly our keywords' rules, and others'. */
  static Plan plan(KeywordList keywords, List<XRules.Rule> existing) {
    Plan p = new Plan();
    Map<String, String> wanted = new LinkedHashMap<>(); // tag -> value
    for (Keyword k : keywords) {
      wanted.put(tag(k), value(k));
    }
    Set<String> present = new HashSet<>();
    for (XRules.Rule r : existing) {
      if (r.tag == null || !r.tag.startsWith(TAG_PREFIX)) {
        p.foreign.add(r);
      } else if (r.value.equals(wanted.get(r.tag)) && present.add(r.tag)) {
        p.keep.add(r);
      } else {
        p.delete.add(r); // no longer a keyword, an older translation, or a second copy
      }
    }
    for (Map.Entry<String, String> e : wanted.entrySet()) {
      if (!present.contains(e.getKey())) {
        p.add.add(new XRules.Rule(null, e.getValue(), e.getKey()));
      }
    }
    return p;
  }

  /**
   * Brings the rules in line and says what it did on {@code out}.
   *
   * @param dryRun check with X's dry_run and print the plan, changing nothing
   * @return our rules on the stream (in a dry run, those there before) and the refusals
   * @throws XRules.RulesException when the endpoint cannot be used
   */
  static RuleMap sync(XRules client, KeywordList keywords, boolean dryRun, PrintStream out)
      throws XRules.RulesException {
    Plan p = plan(keywords, client.list());
    Map<String, Keyword> byTag = new HashMap<>();
    for (Keyword k : keywords) {
      byTag.put(tag(k), k);
    }
    RuleMap map = new RuleMap(keywords);
    for (XRules.Rule r : p.keep) {
      map.put(r.id, byTag.get(r.tag));
    }
    out.println(
        (dryRun ? "Rules dry run: " : "Rules: ")
            + p.keep.size()
            + " of ours in place, "
            + p.add.size()
            + " to add, "
            + p.delete.size()
            + " of ours to delete; "
            + p.foreign.size()
            + " other rules left alone.");
    for (XRules.Rule r : p.delete) {
      out.println("  delete " + printable(r));
    }
    if (!p.delete.isEmpty()) {
      List<String> ids = new ArrayList<>();
      for (XRules.Rule r : p.delete) {
        ids.add(r.id);
      }
      client.delete(ids, dryRun);
    }
    if (!p.add.isEmpty()) {
      XRules.Result result = client.add(p.add, dryRun);
      // In a dry run the planned deletes were not made: a refusal as a duplicate of a rule the
      // plan deletes (a keyword whose case changed) would not happen for real.
      Set<String> deleted = new HashSet<>();
      if (dryRun) {
        for (XRules.Rule r : p.delete) {
          deleted.add(r.id);
        }
      }
      List<XRules.Rule> notCreated = refusals(result, p.add, byTag, map, out, deleted);
      List<XRules.Rule> created = new ArrayList<>(result.created);
      if (created.isEmpty() && !notCreated.isEmpty() && anInvalidRule(result)) {
        // X creates none of a request's rules when one is invalid: send the valid ones again.
        XRules.Result second = client.add(notCreated, dryRun);
        refusals(second, notCreated, byTag, map, out, deleted);
        created.addAll(second.created);
      }
      for (XRules.Rule r : created) {
        Keyword k = byTag.get(r.tag);
        if (k == null) {
          continue;
        }
        if (r.id != null && !dryRun) {
          map.put(r.id, k);
        }
        out.println((dryRun ? "  would add " : "  add ") + printable(r));
      }
    }
    return map;
  }

  /**
   * Reports each refusal of an add, one line each, adopting a rule with the same value that is not
   * ours; returns the rules of {@code asked} that were neither refused nor created.
   */
  private static List<XRules.Rule> refusals(
      XRules.Result result,
      List<XRules.Rule> asked,
      Map<String, Keyword> byTag,
      RuleMap map,
      PrintStream out,
      Set<String> deletedFirst) {
    Set<String> created = new HashSet<>();
    for (XRules.Rule r : result.created) {
      created.add(r.value);
    }
    List<XRules.Rule> rest = new ArrayList<>();
    for (XRules.Rule r : asked) {
      XRules.Refusal refusal = refusalOf(result, r.value);
      if (refusal == null) {
        if (!created.contains(r.value)) {
          rest.add(r);
        }
      } else if (refusal.duplicate() && deletedFirst.contains(refusal.id)) {
        out.println("  would add " + printable(r) + " (once the rule it replaces is deleted)");
      } else if (refusal.duplicate() && refusal.id != null) {
        // Someone else's rule with the very same value: its matches are this keyword's.
        map.put(refusal.id, byTag.get(r.tag));
        out.println(
            "  not added "
                + printable(r)
                + ": a rule with the same value is already there (id "
                + refusal.id
                + ", not ours); its matches count for "
                + Printable.keyword(byTag.get(r.tag).term()));
      } else {
        map.refused++;
        out.println(
            "  refused "
                + printable(r)
                + ": "
                + refusal.title
                + (refusal.detail.isEmpty() ? "" : ": " + Printable.of(refusal.detail, 300)));
      }
    }
    for (XRules.Refusal r : result.refused) {
      if (r.value == null) {
        map.refused++;
        out.println("  refused: " + r.title + ": " + Printable.of(r.detail, 300));
      }
    }
    return rest;
  }

  /** Whether X refused one of the rules itself (not a duplicate, not the whole request). */
  private static boolean anInvalidRule(XRules.Result result) {
    for (XRules.Refusal r : result.refused) {
      if (r.value != null && !r.duplicate()) {
        return true;
      }
    }
    return false;
  }

  private static XRules.Refusal refusalOf(XRules.Result result, String value) {
    for (XRules.Refusal r : result.refused) {
      if (value.equals(r.value)) {
        return r;
      }
    }
    return null;
  }

  private static String printable(XRules.Rule r) {
    return Printable.of(r.toString(), 200);
  }
}
