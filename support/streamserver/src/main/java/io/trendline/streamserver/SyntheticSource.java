package io.trendline.streamserver;

import io.trendline.common.Keyword;
import io.trendline.common.KeywordList;
import io.trendline.common.TrackMatcher;
import io.trendline.streamserver.Composer.Text;
import io.trendline.streamserver.Vocabulary.Form;
import io.trendline.streamserver.Vocabulary.Lang;
import io.trendline.streamserver.Vocabulary.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Random;
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

  private final KeywordList keywords;
  private final Clock clock;

  /** The generator's one random sequence: every part draws from it in a fixed order. */
  private final SplittableRandom rnd;

  private final Popularity popularity;
  private final Vocabulary vocabulary;
  private final Composer composer;
  private final StatusWriter writer;
  private long sequence;

  private SyntheticSource(Builder b) {
    this.keywords = b.keywords;
    this.clock = b.clock;
    Random setup = new Random(b.seed);
    this.rnd = new SplittableRandom(b.seed ^ 0x5DEECE66DL);
    // The popularity draws from the set-up sequence before the vocabulary's users do.
    this.popularity =
        new Popularity(
            keywords, setup, b.driftPeriod, clock.millis(), b.noMatchShare, b.twoKeywordShare);
    this.vocabulary = new Vocabulary(keywords, setup);
    this.composer = new Composer(vocabulary, rnd);
    this.writer = new StatusWriter(rnd);
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
    List<Keyword> chosen = popularity.choose(now, rnd);
    double r = rnd.nextDouble();
    String shape = r < 0.35 ? "retweet" : r < 0.47 ? "quote" : r < 0.65 ? "extended" : "plain";
    Lang lang = composer.pickLang();
    User author = composer.anyUser();
    String json;
    long id = snowflake(now);
    switch (shape) {
      case "retweet":
        {
          User orig = composer.otherUser(author);
          long origMs = now - 60_000L - rnd.nextInt(36_000_000);
          Text inner = composer.compose(lang, chosen, rnd.nextInt(3) == 0, true);
          String innerJson =
              writer.status(snowflake(origMs), origMs, inner, orig, lang, null, null, -1);
          Text outer = composer.retweetText(orig, inner);
          json = writer.status(id, now, outer, author, lang, innerJson, null, now);
          break;
        }
      case "quote":
        {
          User orig = composer.otherUser(author);
          long origMs = now - 60_000L - rnd.nextInt(36_000_000);
          List<Keyword> inQuote = chosen;
          List<Keyword> inComment = Collections.emptyList();
          if (chosen.size() == 2) {
            inQuote = chosen.subList(0, 1);
            inComment = chosen.subList(1, 2);
          } else if (chosen.size() == 1 && rnd.nextInt(4) == 0) {
            inComment = chosen;
          }
          Text quoted = composer.compose(lang, inQuote, rnd.nextInt(3) == 0, true);
          long quotedId = snowflake(origMs);
          String quotedJson = writer.status(quotedId, origMs, quoted, orig, lang, null, null, -1);
          Text comment = composer.compose(lang, inComment, false, true);
          if (vocabulary.neutralLinks) {
            String link = "https://twitter.com/" + orig.screenName + "/status/" + quotedId;
            comment.entity(new Form("", Form.URL, link), Composer.tco(rnd), link);
          }
          json =
              writer.status(id, now, comment, author, lang, null, quotedJson + "," + quotedId, now);
          break;
        }
      default:
        {
          Text text = composer.compose(lang, chosen, shape.equals("extended"), true);
          json = writer.status(id, now, text, author, lang, null, null, now);
          shape = text.sb.codePointCount(0, text.sb.length()) > 140 ? "extended" : "plain";
        }
    }
    return new Generated(json, chosen, shape);
  }

  /** Each keyword's relative weight at {@code epochMs}, in configured order. */
  public double[] weightsAt(long epochMs) {
    return popularity.weightsAt(epochMs);
  }

  /** The keywords' terms, most popular first, at {@code time}. */
  public List<String> rankingAt(Instant time) {
    return popularity.rankingAt(time.toEpochMilli());
  }

  /** Near-misses in use: text that resembles a keyword but matches none. */
  List<String> nearMisses() {
    return Collections.unmodifiableList(vocabulary.nearMisses);
  }

  private long snowflake(long ms) {
    return ((ms - TWEPOCH) << 22) | ((sequence++ & 0x3FF) << 12) | 0x2A;
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
