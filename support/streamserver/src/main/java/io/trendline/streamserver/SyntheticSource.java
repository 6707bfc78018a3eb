package io.trendline.streamserver;

import io.trendline.common.Keyword;
import io.trendline.common.KeywordList;
import io.trendline.common.TrackMatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates realistic statuses, in the v1.1 JSON shape the streaming API sent, about a list of
 * keywords whose popularity drifts over time.
 *
 * <p><b>Shape.</b> Plain statuses, extended ones (text cut to 140 characters with {@code truncated}
 * and the whole text in {@code extended_tweet.full_text}), retweets (the keyword in {@code
 * retweeted_status}, often cut off the outer {@code RT @user:} text) and quotes (in {@code
 * quoted_status}); a user object with the usual fields; entities (hashtags, urls with {@code
 * expanded_url}, user_mentions, symbols) with code-point indices; eleven languages including
 * Arabic, Devanagari, Japanese and Korean, emoji; {@code timestamp_ms} is the clock's time when the
 * status is generated. A status is typically 2 to 6 KB, like the real ones.
 *
 * <p><b>Keywords.</b> Each status claims 0, 1 or 2 keywords ({@link Generated#keywords()}), which
 * are exactly those {@link TrackMatcher} finds in it. A keyword appears in many forms: as
 * configured, lower or upper case, {@code keyword's}, {@code #keyword}, {@code @keyword_fan}, in an
 * expanded URL {@code https://keyword.example/...}, as a cashtag. Statuses also carry near-misses
 * that must not match ({@code idiot} for IoT, {@code 5GHz} for 5G, {@code bitcoins}, {@code
 * #newbitcoin}). Statuses that claim no keyword are what the real service would have filtered out;
 * a server filters them by track the same way. Keywords that are so generic that they collide with
 * the generator's own words (such as {@code https}, {@code co} or {@code status} from links) make
 * the claims unreliable.
 *
 * <p><b>Drift.</b> The weight of each keyword is a base weight times {@code exp} of two slow sine
 * waves with seeded periods (around {@link Builder#driftPeriod}) and phases, measured on the
 * injected clock from the moment the source was built; the ranking therefore changes within
 * minutes, and {@link #rankingAt} says what it is at any time.
 *
 * <p><b>Reproducible.</b> The same seed, keywords and clock readings give the same statuses. Not
 * thread-safe (a server calls it from one thread).
 */
public final class SyntheticSource implements MessageSource {
  /** One generated status and the keywords it was built to match. */
  public static final class Generated {
    private final String json;
    private final List<Keyword> keywords;
    private final String shape;

    Generated(String json, List<Keyword> keywords, String shape) {
      this.json = json;
      this.keywords = keywords;
      this.shape = shape;
    }

    /** The status, one line of JSON. */
    public String json() {
      return json;
    }

    /** The keywords it matches under track semantics, in configured order; empty for none. */
    public List<Keyword> keywords() {
      return keywords;
    }

    /** {@code plain}, {@code extended}, {@code retweet} or {@code quote}. */
    public String shape() {
      return shape;
    }
  }

  private static final long TWEPOCH = 1288834974657L;
  private static final DateTimeFormatter CREATED_AT =
      DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss +0000 yyyy", Locale.US)
          .withZone(ZoneOffset.UTC);
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String[] SYLLABLES = {
    "ka", "mi", "to", "ra", "ne", "lo", "sa", "vi", "de", "jo", "ru", "be", "zo", "li", "ma", "te"
  };

  private static final int NONE = 0;
  private static final int HASHTAG = 1;
  private static final int MENTION = 2;
  private static final int URL = 3;
  private static final int SYMBOL = 4;

  /** A way to write a keyword (or a neutral token): its text, and the entity it makes. */
  private static final class Form {
    final String text;
    final int entity;
    final String value;

    Form(String text, int entity, String value) {
      this.text = text;
      this.entity = entity;
      this.value = value;
    }
  }

  private static final class User {
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

  private static final class Lang {
    final String code;
    final String[] frames;
    final String[] fillers;

    Lang(String code, String[] frames, String[] fillers) {
      this.code = code;
      this.frames = frames;
      this.fillers = fillers;
    }
  }

  /** Text under construction, with its entities (UTF-16 offsets until written). */
  private static final class Text {
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
      if (f.entity == URL) {
        return shown.length();
      }
      // "#Tag's": the entity is "#Tag" only.
      return 1 + f.value.length() <= shown.length() ? 1 + f.value.length() : shown.length();
    }
  }

  private final KeywordList keywords;
  private final TrackMatcher matcher;
  private final Clock clock;
  private final SplittableRandom rnd;
  private final double noMatchShare;
  private final double twoKeywordShare;
  private final long startMs;
  private final double[] base;
  private final double[] period1;
  private final double[] period2;
  private final double[] phase1;
  private final double[] phase2;
  private final List<List<Form>> forms = new ArrayList<>();
  private final List<String> nearMisses = new ArrayList<>();
  private final List<Form> neutralTags = new ArrayList<>();
  private final Lang[] langs;
  private final int[] langCumulative;
  private final User[] users;
  private final boolean neutralLinks;
  private final double[] weights;
  private boolean weightsKnown;
  private long weightsAtMs;
  private long sequence;
  private long createdAtSecond = Long.MIN_VALUE;
  private String createdAt;

  private SyntheticSource(Builder b) {
    this.keywords = b.keywords;
    this.matcher = new TrackMatcher(b.keywords);
    this.clock = b.clock;
    this.noMatchShare = b.noMatchShare;
    this.twoKeywordShare = b.twoKeywordShare;
    this.startMs = clock.millis();
    Random setup = new Random(b.seed);
    this.rnd = new SplittableRandom(b.seed ^ 0x5DEECE66DL);
    int n = keywords.size();
    base = new double[n];
    period1 = new double[n];
    period2 = new double[n];
    phase1 = new double[n];
    phase2 = new double[n];
    weights = new double[n];
    double p = b.driftPeriod.toMillis();
    for (int k = 0; k < n; k++) {
      base[k] = Math.exp(setup.nextGaussian() * 0.35);
      period1[k] = p * (0.6 + 0.8 * setup.nextDouble());
      period2[k] = p * (0.25 + 0.2 * setup.nextDouble());
      phase1[k] = setup.nextDouble() * 2 * Math.PI;
      phase2[k] = setup.nextDouble() * 2 * Math.PI;
      forms.add(formsFor(keywords.get(k)));
    }
    for (Keyword k : keywords) {
      addNearMisses(k);
    }
    for (String tag : Phrasebook.TAGS) {
      if (matches(tag)) {
        continue;
      }
      neutralTags.add(new Form("#" + tag, HASHTAG, tag));
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

  /** A source about {@code keywords}, with the defaults of {@link Builder}. */
  public static Builder builder(KeywordList keywords) {
    return new Builder(keywords);
  }

  public KeywordList keywords() {
    return keywords;
  }

  @Override
  public String next() {
    return generate().json();
  }

  /** The next status, with the keywords it claims. */
  public Generated generate() {
    long now = clock.millis();
    List<Keyword> chosen = chooseKeywords(now);
    double r = rnd.nextDouble();
    String shape = r < 0.35 ? "retweet" : r < 0.47 ? "quote" : r < 0.65 ? "extended" : "plain";
    Lang lang = pickLang();
    User author = users[rnd.nextInt(users.length)];
    StringBuilder sb = new StringBuilder(4096);
    long id = snowflake(now);
    switch (shape) {
      case "retweet":
        {
          User orig = otherUser(author);
          long origMs = now - 60_000L - rnd.nextInt(36_000_000);
          Text inner = compose(lang, chosen, rnd.nextInt(3) == 0, true);
          String innerJson =
              status(
                  new StringBuilder(3072),
                  snowflake(origMs),
                  origMs,
                  inner,
                  orig,
                  lang,
                  null,
                  null,
                  -1);
          Text outer = retweetText(orig, inner);
          status(sb, id, now, outer, author, lang, innerJson, null, now);
          break;
        }
      case "quote":
        {
          User orig = otherUser(author);
          long origMs = now - 60_000L - rnd.nextInt(36_000_000);
          List<Keyword> inQuote = chosen;
          List<Keyword> inComment = Collections.emptyList();
          if (chosen.size() == 2) {
            inQuote = chosen.subList(0, 1);
            inComment = chosen.subList(1, 2);
          } else if (chosen.size() == 1 && rnd.nextInt(4) == 0) {
            inComment = chosen;
          }
          Text quoted = compose(lang, inQuote, rnd.nextInt(3) == 0, true);
          long quotedId = snowflake(origMs);
          String quotedJson =
              status(new StringBuilder(3072), quotedId, origMs, quoted, orig, lang, null, null, -1);
          Text comment = compose(lang, inComment, false, true);
          if (neutralLinks) {
            String link = "https://twitter.com/" + orig.screenName + "/status/" + quotedId;
            comment.entity(new Form("", URL, link), tco(), link);
          }
          status(sb, id, now, comment, author, lang, null, quotedJson + "," + quotedId, now);
          break;
        }
      default:
        {
          Text text = compose(lang, chosen, shape.equals("extended"), true);
          status(sb, id, now, text, author, lang, null, null, now);
          shape = text.sb.codePointCount(0, text.sb.length()) > 140 ? "extended" : "plain";
        }
    }
    return new Generated(sb.toString(), chosen, shape);
  }

  // ---- Popularity ----

  /** Each keyword's relative weight at {@code epochMs}, in configured order. */
  public double[] weightsAt(long epochMs) {
    double[] w = new double[keywords.size()];
    double t = epochMs - startMs;
    for (int k = 0; k < w.length; k++) {
      w[k] =
          base[k]
              * Math.exp(
                  1.1 * Math.sin(2 * Math.PI * t / period1[k] + phase1[k])
                      + 0.35 * Math.sin(2 * Math.PI * t / period2[k] + phase2[k]));
    }
    return w;
  }

  /** The keywords' terms, most popular first, at {@code time}. */
  public List<String> rankingAt(Instant time) {
    double[] w = weightsAt(time.toEpochMilli());
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < w.length; k++) {
      order.add(k);
    }
    order.sort(Comparator.comparingDouble((Integer k) -> -w[k]));
    List<String> out = new ArrayList<>();
    for (int k : order) {
      out.add(keywords.get(k).term());
    }
    return out;
  }

  private List<Keyword> chooseKeywords(long now) {
    double r = rnd.nextDouble();
    if (r < noMatchShare) {
      return Collections.emptyList();
    }
    if (!weightsKnown || now - weightsAtMs >= 250 || now < weightsAtMs) {
      weightsKnown = true;
      System.arraycopy(weightsAt(now), 0, weights, 0, weights.length);
      weightsAtMs = now;
    }
    int first = pickWeighted(-1);
    if (r < noMatchShare + twoKeywordShare && keywords.size() > 1) {
      int second = pickWeighted(first);
      int a = Math.min(first, second);
      int b = Math.max(first, second);
      return Collections.unmodifiableList(Arrays.asList(keywords.get(a), keywords.get(b)));
    }
    return Collections.singletonList(keywords.get(first));
  }

  private int pickWeighted(int except) {
    double sum = 0;
    for (int k = 0; k < weights.length; k++) {
      sum += k == except ? 0 : weights[k];
    }
    double x = rnd.nextDouble() * sum;
    for (int k = 0; k < weights.length; k++) {
      if (k == except) {
        continue;
      }
      x -= weights[k];
      if (x < 0) {
        return k;
      }
    }
    return except == weights.length - 1 ? weights.length - 2 : weights.length - 1;
  }

  // ---- Text ----

  private Text compose(Lang lang, List<Keyword> ks, boolean longText, boolean decorate) {
    Text t = new Text();
    if (decorate && rnd.nextInt(7) == 0) {
      User u = users[rnd.nextInt(users.length)];
      t.entity(new Form("", MENTION, u.screenName), "@" + u.screenName, u.name + "," + u.id);
    }
    boolean keywordLate = longText && rnd.nextBoolean();
    if (longText && keywordLate) {
      fillers(t, lang, 3);
    }
    if (ks.isEmpty()) {
      if (rnd.nextBoolean() || neutralTags.isEmpty()) {
        fillers(t, lang, 1);
      } else {
        frame(t, lang, neutralTags.get(rnd.nextInt(neutralTags.size())));
      }
    }
    for (Keyword k : ks) {
      List<Form> fs = forms.get(keywords.asList().indexOf(k));
      frame(t, lang, fs.get(rnd.nextInt(fs.size())));
    }
    if (longText && !keywordLate) {
      fillers(t, lang, 3);
    }
    if (!nearMisses.isEmpty() && rnd.nextInt(ks.isEmpty() ? 2 : 4) == 0) {
      String nm = nearMisses.get(rnd.nextInt(nearMisses.size()));
      if (nm.startsWith("#")) {
        t.entity(new Form(nm, HASHTAG, nm.substring(1)), nm, null);
      } else if (nm.startsWith("$")) {
        t.entity(new Form(nm, SYMBOL, nm.substring(1)), nm, null);
      } else {
        t.word(nm);
      }
    }
    if (decorate && rnd.nextInt(3) == 0) {
      t.word(Phrasebook.EMOJI[rnd.nextInt(Phrasebook.EMOJI.length)]);
    }
    if (decorate && !neutralTags.isEmpty() && rnd.nextInt(5) == 0) {
      Form f = neutralTags.get(rnd.nextInt(neutralTags.size()));
      t.entity(f, f.text, null);
    }
    if (decorate && neutralLinks && rnd.nextInt(6) == 0) {
      String link = "https://news.example.org/a/" + (100000 + rnd.nextInt(900000));
      t.entity(new Form("", URL, link), tco(), link);
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
    if (form.entity == NONE) {
      t.word(form.text);
    } else if (form.entity == URL) {
      String expanded = form.value + "/" + (1000 + rnd.nextInt(9000));
      t.entity(form, tco(), expanded);
    } else if (form.entity == MENTION) {
      t.entity(form, form.text, form.value + " news," + Math.abs((long) form.value.hashCode()));
    } else {
      t.entity(form, form.text, null);
    }
    if (!after.trim().isEmpty()) {
      // Keep the frame's own spacing and punctuation right after the keyword.
      t.sb.append(after.startsWith(" ") ? after : " " + after);
    }
  }

  private Text retweetText(User orig, Text inner) {
    Text t = new Text();
    t.sb.append("RT ");
    t.entity(
        new Form("", MENTION, orig.screenName), "@" + orig.screenName, orig.name + "," + orig.id);
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

  // ---- JSON ----

  /**
   * Appends one status object. {@code quoted} is "json,id" of a quoted status; {@code timestampMs}
   * is -1 for statuses nested in another (they carry none).
   */
  private String status(
      StringBuilder sb,
      long id,
      long ms,
      Text text,
      User user,
      Lang lang,
      String retweeted,
      String quoted,
      long timestampMs) {
    boolean nested = timestampMs < 0;
    String full = text.sb.toString();
    int fullCps = full.codePointCount(0, full.length());
    String shown = full;
    int keepUpTo = full.length();
    String moreLink = null;
    boolean truncated = false;
    if (retweeted != null && fullCps > 140) {
      int cut = cutAt(full, 139);
      shown = full.substring(0, cut) + "…";
      keepUpTo = cut;
    } else if (retweeted == null && fullCps > 140) {
      int cut = cutAt(full, 113);
      moreLink = tco();
      shown = full.substring(0, cut) + "… " + moreLink;
      keepUpTo = cut;
      truncated = true;
    }
    sb.append("{\"created_at\":");
    Json.string(sb, createdAt(ms));
    sb.append(",\"id\":").append(id).append(",\"id_str\":\"").append(id).append('"');
    sb.append(",\"text\":");
    Json.string(sb, shown);
    if (truncated) {
      sb.append(",\"display_text_range\":[0,140]");
    }
    sb.append(",\"source\":");
    Json.string(sb, Phrasebook.SOURCES[rnd.nextInt(Phrasebook.SOURCES.length)]);
    sb.append(",\"truncated\":").append(truncated);
    sb.append(
        ",\"in_reply_to_status_id\":null,\"in_reply_to_status_id_str\":null,"
            + "\"in_reply_to_user_id\":null,\"in_reply_to_user_id_str\":null,"
            + "\"in_reply_to_screen_name\":null");
    sb.append(",\"user\":").append(user.json);
    sb.append(",\"geo\":null,\"coordinates\":null,\"place\":null,\"contributors\":null");
    if (retweeted != null) {
      sb.append(",\"retweeted_status\":").append(retweeted);
    }
    if (quoted != null) {
      int comma = quoted.lastIndexOf(',');
      String qid = quoted.substring(comma + 1);
      sb.append(",\"quoted_status_id\":").append(qid);
      sb.append(",\"quoted_status_id_str\":\"").append(qid).append('"');
      sb.append(",\"quoted_status\":").append(quoted, 0, comma);
    }
    sb.append(",\"is_quote_status\":").append(quoted != null);
    if (truncated) {
      sb.append(",\"extended_tweet\":{\"full_text\":");
      Json.string(sb, full);
      sb.append(",\"display_text_range\":[0,").append(fullCps).append("],\"entities\":");
      entities(sb, full, text, full.length(), null, id);
      sb.append('}');
    }
    int n = nested ? rnd.nextInt(5000) : 0;
    sb.append(",\"quote_count\":").append(nested ? n / 40 : 0);
    sb.append(",\"reply_count\":").append(nested ? n / 25 : 0);
    sb.append(",\"retweet_count\":").append(n);
    sb.append(",\"favorite_count\":").append(nested ? n * 2 : 0);
    sb.append(",\"entities\":");
    entities(sb, full, text, keepUpTo, moreLink, id);
    sb.append(",\"favorited\":false,\"retweeted\":false");
    if (!text.urls.isEmpty() || moreLink != null) {
      sb.append(",\"possibly_sensitive\":false");
    }
    sb.append(",\"filter_level\":\"low\",\"lang\":\"").append(lang.code).append('"');
    if (!nested) {
      sb.append(",\"timestamp_ms\":\"").append(timestampMs).append('"');
    }
    sb.append('}');
    return sb.toString();
  }

  /** The largest UTF-16 index holding at most {@code cps} code points, at a space if near one. */
  private static int cutAt(String s, int cps) {
    int end = s.offsetByCodePoints(0, cps);
    int space = s.lastIndexOf(' ', end);
    return space > end - 20 && space > 0 ? space : end;
  }

  /** Writes the entities that lie within the first {@code upTo} chars, plus a "more" link. */
  private void entities(StringBuilder sb, String full, Text t, int upTo, String moreLink, long id) {
    sb.append("{\"hashtags\":[");
    list(sb, full, t, upTo, HASHTAG);
    sb.append("],\"urls\":[");
    int written = list(sb, full, t, upTo, URL);
    if (moreLink != null) {
      int start = full.codePointCount(0, upTo) + 2;
      if (written > 0) {
        sb.append(',');
      }
      String expanded = "https://twitter.com/i/web/status/" + id;
      urlEntity(sb, moreLink, expanded, start, start + moreLink.length());
    }
    sb.append("],\"user_mentions\":[");
    list(sb, full, t, upTo, MENTION);
    sb.append("],\"symbols\":[");
    list(sb, full, t, upTo, SYMBOL);
    sb.append("]}");
  }

  private int list(StringBuilder sb, String full, Text t, int upTo, int type) {
    int count = 0;
    for (int i = 0; i < t.forms.size(); i++) {
      Form f = t.forms.get(i);
      int[] span = t.spans.get(i);
      if (f.entity != type || span[1] > upTo) {
        continue;
      }
      if (count++ > 0) {
        sb.append(',');
      }
      int start = full.codePointCount(0, span[0]);
      int end = start + full.codePointCount(span[0], span[1]);
      switch (type) {
        case URL:
          urlEntity(sb, full.substring(span[0], span[1]), t.urls.get(i), start, end);
          break;
        case MENTION:
          {
            String extra = t.urls.get(i);
            int comma = extra.lastIndexOf(',');
            sb.append("{\"screen_name\":");
            Json.string(sb, f.value);
            sb.append(",\"name\":");
            Json.string(sb, extra.substring(0, comma));
            String uid = extra.substring(comma + 1);
            sb.append(",\"id\":").append(uid).append(",\"id_str\":\"").append(uid).append('"');
            sb.append(",\"indices\":[").append(start).append(',').append(end).append("]}");
            break;
          }
        default:
          sb.append("{\"text\":");
          Json.string(sb, f.value);
          sb.append(",\"indices\":[").append(start).append(',').append(end).append("]}");
      }
    }
    return count;
  }

  private static void urlEntity(StringBuilder sb, String url, String expanded, int start, int end) {
    sb.append("{\"url\":");
    Json.string(sb, url);
    sb.append(",\"expanded_url\":");
    Json.string(sb, expanded);
    String display = expanded.replaceFirst("^https?://", "");
    if (display.length() > 26) {
      display = display.substring(0, 25) + "…";
    }
    sb.append(",\"display_url\":");
    Json.string(sb, display);
    sb.append(",\"indices\":[").append(start).append(',').append(end).append("]}");
  }

  private String createdAt(long ms) {
    long second = Math.floorDiv(ms, 1000);
    if (second != createdAtSecond) {
      createdAtSecond = second;
      createdAt = CREATED_AT.format(Instant.ofEpochSecond(second));
    }
    return createdAt;
  }

  private long snowflake(long ms) {
    return ((ms - TWEPOCH) << 22) | ((sequence++ & 0x3FF) << 12) | 0x2A;
  }

  private String tco() {
    char[] c = new char[10];
    for (int i = 0; i < c.length; i++) {
      c[i] = BASE62.charAt(rnd.nextInt(BASE62.length()));
    }
    return "https://t.co/" + new String(c);
  }

  private Lang pickLang() {
    int x = rnd.nextInt(langCumulative[langCumulative.length - 1]);
    for (int i = 0; i < langCumulative.length; i++) {
      if (x < langCumulative[i]) {
        return langs[i];
      }
    }
    return langs[0];
  }

  private User otherUser(User not) {
    User u = users[rnd.nextInt(users.length)];
    return u == not ? users[(Arrays.asList(users).indexOf(u) + 1) % users.length] : u;
  }

  // ---- Set-up: forms, near-misses, users ----

  private boolean matches(String text) {
    return !matcher.matchText(text).isEmpty();
  }

  /** Whether the form, as text and as entity value, matches exactly {@code k}. */
  private boolean matchesOnly(Form f, Keyword k) {
    String probe =
        f.text + " " + (f.entity == URL ? f.value + "/1234" : f.value == null ? "" : f.value);
    List<Keyword> m = matcher.matchText(probe);
    return m.size() == 1 && m.get(0).equals(k);
  }

  private List<Form> formsFor(Keyword k) {
    String term = k.term();
    List<Form> candidates = new ArrayList<>();
    candidates.add(new Form(term, NONE, null));
    candidates.add(new Form(term.toLowerCase(Locale.ROOT), NONE, null));
    candidates.add(new Form(term.toUpperCase(Locale.ROOT), NONE, null));
    if (k.words().size() == 1) {
      String word = term;
      String ascii = word.toLowerCase(Locale.ROOT);
      boolean alnum = ascii.matches("[a-z0-9]+");
      candidates.add(
          new Form(Character.toUpperCase(word.charAt(0)) + word.substring(1), NONE, null));
      candidates.add(new Form(word + "'s", NONE, null));
      candidates.add(new Form(word + ".", NONE, null));
      candidates.add(new Form("“" + word + "”", NONE, null));
      if (word.matches("[\\p{L}\\p{N}_]+")) {
        candidates.add(new Form("#" + word, HASHTAG, word));
        candidates.add(new Form("#" + word + "'s", HASHTAG, word));
      }
      if (alnum && ascii.length() <= 9) {
        candidates.add(new Form("@" + ascii + "_fan", MENTION, ascii + "_fan"));
        candidates.add(new Form("@daily_" + ascii, MENTION, "daily_" + ascii));
        candidates.add(new Form("", URL, "https://" + ascii + ".example/news"));
        candidates.add(new Form("", URL, "https://example.com/" + ascii));
      }
      if (ascii.matches("[a-z]{2,6}")) {
        String upper = ascii.toUpperCase(Locale.ROOT);
        candidates.add(new Form("$" + upper, SYMBOL, upper));
      }
    } else {
      List<String> words = new ArrayList<>(Arrays.asList(term.split("\\s+")));
      Collections.reverse(words);
      candidates.add(new Form(String.join(" ", words), NONE, null));
      StringBuilder tags = new StringBuilder();
      for (String w : term.split("\\s+")) {
        tags.append(tags.length() > 0 ? " " : "").append(w);
      }
      candidates.add(new Form(tags.toString() + "!", NONE, null));
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
      out.add(new Form(term, NONE, null));
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

  /** Near-misses in use: text that resembles a keyword but matches none. */
  List<String> nearMisses() {
    return Collections.unmodifiableList(nearMisses);
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
      out.add(new User(id, screenName, name, userJson(r, id, screenName, name, l)));
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

  private static String userJson(
      Random r, long id, String screenName, String name, Phrasebook.Language l) {
    StringBuilder sb = new StringBuilder(1400);
    long created = 1_180_000_000_000L + (long) (r.nextDouble() * 340_000_000_000L);
    String color = Phrasebook.COLORS[r.nextInt(Phrasebook.COLORS.length)];
    int followers = (int) Math.min(5_000_000, Math.exp(r.nextDouble() * 12));
    String img = Long.toString(Math.abs(r.nextLong()) % 1_000_000_000_000_000L);
    sb.append("{\"id\":").append(id).append(",\"id_str\":\"").append(id).append('"');
    sb.append(",\"name\":");
    Json.string(sb, name);
    sb.append(",\"screen_name\":");
    Json.string(sb, screenName);
    sb.append(",\"location\":");
    Json.string(sb, l.places[r.nextInt(l.places.length)]);
    sb.append(",\"url\":null,\"description\":");
    Json.string(sb, Phrasebook.DESCRIPTIONS[r.nextInt(Phrasebook.DESCRIPTIONS.length)]);
    sb.append(",\"translator_type\":\"none\",\"protected\":false,\"verified\":")
        .append(r.nextInt(50) == 0);
    sb.append(",\"followers_count\":").append(followers);
    sb.append(",\"friends_count\":").append(r.nextInt(3000));
    sb.append(",\"listed_count\":").append(followers / 100);
    sb.append(",\"favourites_count\":").append(r.nextInt(80_000));
    sb.append(",\"statuses_count\":").append(100 + r.nextInt(200_000));
    sb.append(",\"created_at\":");
    Json.string(sb, CREATED_AT.format(Instant.ofEpochMilli(created)));
    sb.append(",\"utc_offset\":null,\"time_zone\":null,\"geo_enabled\":").append(r.nextBoolean());
    sb.append(",\"lang\":\"").append(l.code).append('"');
    sb.append(",\"contributors_enabled\":false,\"is_translator\":false");
    sb.append(",\"profile_background_color\":\"F5F8FA\"");
    sb.append(",\"profile_background_image_url\":\"\",\"profile_background_image_url_https\":\"\"");
    sb.append(",\"profile_background_tile\":false,\"profile_link_color\":\"")
        .append(color)
        .append('"');
    sb.append(
        ",\"profile_sidebar_border_color\":\"C0DEED\",\"profile_sidebar_fill_color\":\"DDEEF6\"");
    sb.append(",\"profile_text_color\":\"333333\",\"profile_use_background_image\":true");
    sb.append(",\"profile_image_url\":\"http://pbs.twimg.com/profile_images/")
        .append(img)
        .append("/avatar_normal.jpg\"");
    sb.append(",\"profile_image_url_https\":\"https://pbs.twimg.com/profile_images/")
        .append(img)
        .append("/avatar_normal.jpg\"");
    sb.append(",\"profile_banner_url\":\"https://pbs.twimg.com/profile_banners/")
        .append(id)
        .append('/')
        .append(created / 1000)
        .append('"');
    sb.append(",\"default_profile\":").append(r.nextBoolean());
    sb.append(",\"default_profile_image\":false,\"following\":null,\"follow_request_sent\":null");
    sb.append(",\"notifications\":null}");
    return sb.toString();
  }

  /**
   * Settings of a source. Defaults: seed 1, the system clock, 20% of statuses matching no keyword,
   * 10% matching two, popularity waves of about 5 minutes. Not thread-safe.
   */
  public static final class Builder {
    private final KeywordList keywords;
    private long seed = 1;
    private Clock clock = Clock.systemUTC();
    private double noMatchShare = 0.2;
    private double twoKeywordShare = 0.1;
    private Duration driftPeriod = Duration.ofMinutes(5);

    private Builder(KeywordList keywords) {
      this.keywords = keywords;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Gives {@code timestamp_ms}, {@code created_at} and the time the popularity drifts with. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** The share of statuses (0-1) that match no keyword and so are filtered out by track. */
    public Builder noMatchShare(double share) {
      this.noMatchShare = share(share, "noMatchShare");
      return this;
    }

    /** The share of statuses (0-1) that match two keywords (with two or more keywords). */
    public Builder twoKeywordShare(double share) {
      this.twoKeywordShare = share(share, "twoKeywordShare");
      return this;
    }

    /** The typical period of the popularity waves; shorter means faster-changing trends. */
    public Builder driftPeriod(Duration period) {
      if (period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException("drift period must be positive: " + period);
      }
      this.driftPeriod = period;
      return this;
    }

    private static double share(double v, String what) {
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException(what + " must be between 0 and 1: " + v);
      }
      return v;
    }

    public SyntheticSource build() {
      if (noMatchShare + twoKeywordShare > 1) {
        throw new IllegalArgumentException("noMatchShare + twoKeywordShare must not exceed 1");
      }
      return new SyntheticSource(this);
    }
  }
}
