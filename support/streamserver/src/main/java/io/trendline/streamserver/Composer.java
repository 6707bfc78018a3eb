package io.trendline.streamserver;

import io.trendline.common.Keyword;
import io.trendline.streamserver.Vocabulary.Form;
import io.trendline.streamserver.Vocabulary.Lang;
import io.trendline.streamserver.Vocabulary.User;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the text of a {@link SyntheticSource}'s statuses from its {@link Vocabulary}: a keyword's
 * form set in a phrase of the chosen language, fillers, near-misses, emoji, mentions, hashtags and
 * links, each entity recorded with its place. Every choice is a draw from the generator's random
 * sequence, in a fixed order: the same sequence gives the same text. Not thread-safe.
 */
final class Composer {
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /** Text under construction, with its entities (UTF-16 offsets until written). */
  static final class Text {
    final StringBuilder sb = new StringBuilder(320);
    final List<int[]> spans = new ArrayList<>();
    final List<Form> forms = new ArrayList<>();
    final List<String> urls = new ArrayList<>();

    void word(String s) {
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ' ') {
        sb.append(' ');
      }
      sb.append(s);
    }

    void entity(Form f, String shown, String expanded) {
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ' ') {
        sb.append(' ');
      }
      int start = sb.length();
      sb.append(shown);
      spans.add(new int[] {start, start + entityLength(f, shown)});
      forms.add(f);
      urls.add(expanded);
    }

    private static int entityLength(Form f, String shown) {
      if (f.entity == Form.URL) {
        return shown.length();
      }
      // "#Tag's": the entity is "#Tag" only.
      return 1 + f.value.length() <= shown.length() ? 1 + f.value.length() : shown.length();
    }
  }

  private final Vocabulary vocabulary;
  private final SplittableRandom rnd;

  Composer(Vocabulary vocabulary, SplittableRandom rnd) {
    this.vocabulary = vocabulary;
    this.rnd = rnd;
  }

  /**
   * A text claiming exactly {@code ks}.
   *
   * @param longText whether to add fillers, making it likely over 140 code points
   * @param decorate whether to add mentions, emoji, neutral hashtags and links
   */
  Text compose(Lang lang, List<Keyword> ks, boolean longText, boolean decorate) {
    Text t = new Text();
    if (decorate && rnd.nextInt(7) == 0) {
      User u = anyUser();
      t.entity(new Form("", Form.MENTION, u.screenName), "@" + u.screenName, u.name + "," + u.id);
    }
    boolean keywordLate = longText && rnd.nextBoolean();
    if (longText && keywordLate) {
      fillers(t, lang, 3);
    }
    if (ks.isEmpty()) {
      if (rnd.nextBoolean() || vocabulary.neutralTags.isEmpty()) {
        fillers(t, lang, 1);
      } else {
        frame(t, lang, vocabulary.neutralTags.get(rnd.nextInt(vocabulary.neutralTags.size())));
      }
    }
    for (Keyword k : ks) {
      List<Form> fs = vocabulary.formsOf(k);
      frame(t, lang, fs.get(rnd.nextInt(fs.size())));
    }
    if (longText && !keywordLate) {
      fillers(t, lang, 3);
    }
    if (!vocabulary.nearMisses.isEmpty() && rnd.nextInt(ks.isEmpty() ? 2 : 4) == 0) {
      String nm = vocabulary.nearMisses.get(rnd.nextInt(vocabulary.nearMisses.size()));
      if (nm.startsWith("#")) {
        t.entity(new Form(nm, Form.HASHTAG, nm.substring(1)), nm, null);
      } else if (nm.startsWith("$")) {
        t.entity(new Form(nm, Form.SYMBOL, nm.substring(1)), nm, null);
      } else {
        t.word(nm);
      }
    }
    if (decorate && rnd.nextInt(3) == 0) {
      t.word(Phrasebook.EMOJI[rnd.nextInt(Phrasebook.EMOJI.length)]);
    }
    if (decorate && !vocabulary.neutralTags.isEmpty() && rnd.nextInt(5) == 0) {
      Form f = vocabulary.neutralTags.get(rnd.nextInt(vocabulary.neutralTags.size()));
      t.entity(f, f.text, null);
    }
    if (decorate && vocabulary.neutralLinks && rnd.nextInt(6) == 0) {
      String link = "https://news.example.org/a/" + (100000 + rnd.nextInt(900000));
      t.entity(new Form("", Form.URL, link), tco(rnd), link);
    }
    return t;
  }

  private void fillers(Text t, Lang lang, int count) {
    for (int i = 0; i < count; i++) {
      t.word(lang.fillers[rnd.nextInt(lang.fillers.length)]);
    }
  }

  private void frame(Text t, Lang lang, Form form) {
    String frame = lang.frames[rnd.nextInt(lang.frames.length)];
    int at = frame.indexOf("{K}");
    String before = frame.substring(0, at).trim();
    String after = frame.substring(at + 3);
    if (!before.isEmpty()) {
      t.word(before);
    }
    if (form.entity == Form.NONE) {
      t.word(form.text);
    } else if (form.entity == Form.URL) {
      String expanded = form.value + "/" + (1000 + rnd.nextInt(9000));
      t.entity(form, tco(rnd), expanded);
    } else if (form.entity == Form.MENTION) {
      t.entity(form, form.text, form.value + " news," + Math.abs((long) form.value.hashCode()));
    } else {
      t.entity(form, form.text, null);
    }
    if (!after.trim().isEmpty()) {
      // Keep the frame's own spacing and punctuation right after the keyword.
      t.sb.append(after.startsWith(" ") ? after : " " + after);
    }
  }

  /** The text of a retweet of {@code inner} by {@code orig}: {@code RT @orig: inner}. */
  Text retweetText(User orig, Text inner) {
    Text t = new Text();
    t.sb.append("RT ");
    t.entity(
        new Form("", Form.MENTION, orig.screenName),
        "@" + orig.screenName,
        orig.name + "," + orig.id);
    t.sb.append(": ");
    int shift = t.sb.length();
    t.sb.append(inner.sb);
    for (int i = 0; i < inner.spans.size(); i++) {
      int[] s = inner.spans.get(i);
      t.spans.add(new int[] {s[0] + shift, s[1] + shift});
      t.forms.add(inner.forms.get(i));
      t.urls.add(inner.urls.get(i));
    }
    return t;
  }

  /** A t.co link with a path drawn from {@code rnd}. */
  static String tco(SplittableRandom rnd) {
    char[] c = new char[10];
    for (int i = 0; i < c.length; i++) {
      c[i] = BASE62.charAt(rnd.nextInt(BASE62.length()));
    }
    return "https://t.co/" + new String(c);
  }

  /** A language, by the languages' weights. */
  Lang pickLang() {
    int x = rnd.nextInt(vocabulary.langCumulative[vocabulary.langCumulative.length - 1]);
    for (int i = 0; i < vocabulary.langCumulative.length; i++) {
      if (x < vocabulary.langCumulative[i]) {
        return vocabulary.langs[i];
      }
    }
    return vocabulary.langs[0];
  }

  User anyUser() {
    return vocabulary.users[rnd.nextInt(vocabulary.users.length)];
  }

  /** A random user other than {@code not}. */
  User otherUser(User not) {
    User u = anyUser();
    return u == not
        ? vocabulary
            .users[(Arrays.asList(vocabulary.users).indexOf(u) + 1) % vocabulary.users.length]
        : u;
  }
}
