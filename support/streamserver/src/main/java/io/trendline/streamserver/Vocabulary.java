package io.trendline.streamserver;

import io.trendline.common.Keyword;
import io.trendline.common.KeywordList;
import io.trendline.common.TrackMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * What a {@link SyntheticSource} writes with, chosen once at set-up against its keywords: the forms
 * each keyword is written in (each matching that keyword and no other), near-misses and neutral
 * hashtags (matching none), the languages whose phrases match no keyword, and a cast of users whose
 * names match none. The users' attributes are drawn from the set-up random sequence, in order.
 * Immutable after construction.
 */
final class Vocabulary {
  private static final String[] SYLLABLES = {
    "ka", "mi", "to", "ra", "ne", "lo", "sa", "vi", "de", "jo", "ru", "be", "zo", "li", "ma", "te"
  };

  /** A way to write a keyword (or a neutral token): its text, and the entity it makes. */
  static final class Form {
    static final int NONE = 0;
    static final int HASHTAG = 1;
    static final int MENTION = 2;
    static final int URL = 3;
    static final int SYMBOL = 4;

    final String text;
    final int entity;
    final String value;

    Form(String text, int entity, String value) {
      this.text = text;
      this.entity = entity;
      this.value = value;
    }
  }

  /** An author: its identity and its user object, written once. */
  static final class User {
    final long id;
    final String screenName;
    final String name;
    final String json;

    User(long id, String screenName, String name, String json) {
      this.id = id;
      this.screenName = screenName;
      this.name = name;
      this.json = json;
    }
  }

  /** A language's phrases: frames hold {@code {K}} where a keyword goes. */
  static final class Lang {
    final String code;
    final String[] frames;
    final String[] fillers;

    Lang(String code, String[] frames, String[] fillers) {
      this.code = code;
      this.frames = frames;
      this.fillers = fillers;
    }
  }

  private final KeywordList keywords;
  private final TrackMatcher matcher;
  private final List<List<Form>> forms = new ArrayList<>();
  final List<String> nearMisses = new ArrayList<>();
  final List<Form> neutralTags = new ArrayList<>();
  final Lang[] langs;

  /** Running totals of the languages' weights, for a weighted pick. */
  final int[] langCumulative;

  final User[] users;

  /** Whether the generator's own links (t.co, news, status links) match no keyword. */
  final boolean neutralLinks;

  /**
   * @param setup draws the users' attributes
   */
  Vocabulary(KeywordList keywords, Random setup) {
    this.keywords = keywords;
    this.matcher = new TrackMatcher(keywords);
    for (Keyword k : keywords) {
      forms.add(formsFor(k));
    }
    for (Keyword k : keywords) {
      addNearMisses(k);
    }
    for (String tag : Phrasebook.TAGS) {
      if (matches(tag)) {
        continue;
      }
      neutralTags.add(new Form("#" + tag, Form.HASHTAG, tag));
    }
    neutralLinks =
        !matches("https://t.co/x https://news.example.org/a/1 https://twitter.com/i/web/status/1");
    List<Lang> ls = new ArrayList<>();
    List<Integer> cum = new ArrayList<>();
    int total = 0;
    for (Phrasebook.Language l : Phrasebook.LANGUAGES) {
      String[] frames = clean(l.frames, true);
      String[] fillers = clean(l.fillers, false);
      if (frames.length == 0 || fillers.length == 0) {
        continue;
      }
      ls.add(new Lang(l.code, frames, fillers));
      total += l.weight;
      cum.add(total);
    }
    if (ls.isEmpty()) {
      ls.add(new Lang("und", new String[] {"{K}"}, new String[] {"…"}));
      cum.add(1);
    }
    langs = ls.toArray(new Lang[0]);
    langCumulative = new int[cum.size()];
    for (int i = 0; i < cum.size(); i++) {
      langCumulative[i] = cum.get(i);
    }
    users = makeUsers(setup, 400);
  }

  /** The forms {@code k} is written in. */
  List<Form> formsOf(Keyword k) {
    return forms.get(keywords.asList().indexOf(k));
  }

  private boolean matches(String text) {
    return !matcher.matchText(text).isEmpty();
  }

  /** Whether the form, as text and as entity value, matches exactly {@code k}. */
  private boolean matchesOnly(Form f, Keyword k) {
    String probe =
        f.text + " " + (f.entity == Form.URL ? f.value + "/1234" : f.value == null ? "" : f.value);
    List<Keyword> m = matcher.matchText(probe);
    return m.size() == 1 && m.get(0).equals(k);
  }

  private List<Form> formsFor(Keyword k) {
    String term = k.term();
    List<Form> candidates = new ArrayList<>();
    candidates.add(new Form(term, Form.NONE, null));
    candidates.add(new Form(term.toLowerCase(Locale.ROOT), Form.NONE, null));
    candidates.add(new Form(term.toUpperCase(Locale.ROOT), Form.NONE, null));
    if (k.words().size() == 1) {
      String word = term;
      String ascii = word.toLowerCase(Locale.ROOT);
      boolean alnum = ascii.matches("[a-z0-9]+");
      candidates.add(
          new Form(Character.toUpperCase(word.charAt(0)) + word.substring(1), Form.NONE, null));
      candidates.add(new Form(word + "'s", Form.NONE, null));
      candidates.add(new Form(word + ".", Form.NONE, null));
      candidates.add(new Form("“" + word + "”", Form.NONE, null));
      if (word.matches("[\\p{L}\\p{N}_]+")) {
        candidates.add(new Form("#" + word, Form.HASHTAG, word));
        candidates.add(new Form("#" + word + "'s", Form.HASHTAG, word));
      }
      if (alnum && ascii.length() <= 9) {
        candidates.add(new Form("@" + ascii + "_fan", Form.MENTION, ascii + "_fan"));
        candidates.add(new Form("@daily_" + ascii, Form.MENTION, "daily_" + ascii));
        candidates.add(new Form("", Form.URL, "https://" + ascii + ".example/news"));
        candidates.add(new Form("", Form.URL, "https://example.com/" + ascii));
      }
      if (ascii.matches("[a-z]{2,6}")) {
        String upper = ascii.toUpperCase(Locale.ROOT);
        candidates.add(new Form("$" + upper, Form.SYMBOL, upper));
      }
    } else {
      List<String> words = new ArrayList<>(Arrays.asList(term.split("\\s+")));
      Collections.reverse(words);
      candidates.add(new Form(String.join(" ", words), Form.NONE, null));
      StringBuilder tags = new StringBuilder();
      for (String w : term.split("\\s+")) {
        tags.append(tags.length() > 0 ? " " : "").append(w);
      }
      candidates.add(new Form(tags.toString() + "!", Form.NONE, null));
    }
    List<Form> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Form f : candidates) {
      if (matchesOnly(f, k) && seen.add(f.text + "|" + f.value)) {
        out.add(f);
      }
    }
    if (out.isEmpty()) {
      // Keyword.of guarantees the term has words, and the term alone always matches itself.
      out.add(new Form(term, Form.NONE, null));
    }
    return out;
  }

  private void addNearMisses(Keyword k) {
    String term = k.term();
    String lower = term.toLowerCase(Locale.ROOT);
    List<String> candidates = new ArrayList<>(Arrays.asList(Phrasebook.knownNearMisses(lower)));
    if (k.words().size() == 1 && lower.matches("[\\p{L}\\p{N}]+")) {
      candidates.add(term + "s");
      candidates.add("#new" + lower);
      candidates.add(term + "Tracker");
      candidates.add(lower + "2018");
    }
    for (String c : candidates) {
      if (!matches(c) && !nearMisses.contains(c)) {
        nearMisses.add(c);
      }
    }
  }

  private String[] clean(String[] texts, boolean frames) {
    List<String> out = new ArrayList<>();
    for (String s : texts) {
      if (!matches(frames ? s.replace("{K}", " ") : s)) {
        out.add(s);
      }
    }
    return out.toArray(new String[0]);
  }

  private User[] makeUsers(Random r, int count) {
    List<User> out = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    while (out.size() < count) {
      Phrasebook.Language l = Phrasebook.LANGUAGES[r.nextInt(Phrasebook.LANGUAGES.length)];
      String name = l.names[r.nextInt(l.names.length)];
      StringBuilder sn = new StringBuilder();
      if (l.code.equals("en")
          || l.code.equals("es")
          || l.code.equals("pt")
          || l.code.equals("fr")
          || l.code.equals("de")) {
        String[] parts = name.split(" ");
        sn.append(parts[0]);
        if (r.nextBoolean()) {
          sn.append('_');
        }
        sn.append(parts[parts.length - 1]);
      } else {
        for (int i = 0, n = 2 + r.nextInt(2); i < n; i++) {
          sn.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
        }
        sn.append('_');
      }
      sn.append(r.nextInt(1000));
      String screenName = toAsciiHandle(sn.toString());
      if (screenName.length() > 15) {
        screenName = screenName.substring(0, 15);
      }
      if (matches(screenName) || matches(name) || !names.add(screenName)) {
        continue;
      }
      long id =
          r.nextBoolean()
              ? 10_000_000L + r.nextInt(2_000_000_000)
              : ((long) r.nextInt(1 << 30) << 28) + r.nextInt(1 << 28);
      out.add(new User(id, screenName, name, StatusWriter.userJson(r, id, screenName, name, l)));
    }
    return out.toArray(new User[0]);
  }

  private static String toAsciiHandle(String s) {
    String n = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
