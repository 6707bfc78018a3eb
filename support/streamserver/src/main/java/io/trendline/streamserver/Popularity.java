package io.trendline.streamserver;

import io.trendline.common.Keyword;
import io.trendline.common.KeywordList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The drifting popularity of a {@link SyntheticSource}'s keywords, and the choice of which keywords
 * a status claims. A keyword's weight is a seeded base weight times {@code exp} of two slow sine
 * waves with seeded periods (around the drift period) and phases, on epoch milliseconds measured
 * from the source's start. The constructor draws from the set-up random sequence and {@link
 * #choose} from the generator's; both are part of what makes the output reproducible. Not
 * thread-safe.
 */
final class Popularity {
  /** Weights are computed again when the time moved this much (or backwards). */
  private static final long RECOMPUTE_MS = 250;

  private final KeywordList keywords;
  private final long startMs;
  private final double noMatchShare;
  private final double twoKeywordShare;
  private final double[] base;
  private final double[] period1;
  private final double[] period2;
  private final double[] phase1;
  private final double[] phase2;
  private final double[] weights;
  private boolean weightsKnown;
  private long weightsAtMs;

  /**
   * @param setup draws five numbers per keyword, in configured order
   * @param startMs when the waves start, epoch milliseconds
   * @param noMatchShare the share of statuses that claim no keyword
   * @param twoKeywordShare the share of statuses that claim two (with two or more keywords)
   */
  Popularity(
      KeywordList keywords,
      Random setup,
      Duration driftPeriod,
      long startMs,
      double noMatchShare,
      double twoKeywordShare) {
    this.keywords = keywords;
    this.startMs = startMs;
    this.noMatchShare = noMatchShare;
    this.twoKeywordShare = twoKeywordShare;
    int n = keywords.size();
    base = new double[n];
    period1 = new double[n];
    period2 = new double[n];
    phase1 = new double[n];
    phase2 = new double[n];
    weights = new double[n];
    double p = driftPeriod.toMillis();
    for (int k = 0; k < n; k++) {
      base[k] = Math.exp(setup.nextGaussian() * 0.35);
      period1[k] = p * (0.6 + 0.8 * setup.nextDouble());
      period2[k] = p * (0.25 + 0.2 * setup.nextDouble());
      phase1[k] = setup.nextDouble() * 2 * Math.PI;
      phase2[k] = setup.nextDouble() * 2 * Math.PI;
    }
  }

  /** Each keyword's relative weight at {@code epochMs}, in configured order. */
  double[] weightsAt(long epochMs) {
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

  /** The keywords' terms, most popular first, at {@code epochMs}. */
  List<String> rankingAt(long epochMs) {
    double[] w = weightsAt(epochMs);
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

  /** The keywords a status made at {@code now} claims: none, one or two, in configured order. */
  List<Keyword> choose(long now, SplittableRandom rnd) {
    double r = rnd.nextDouble();
    if (r < noMatchShare) {
      return Collections.emptyList();
    }
    if (!weightsKnown || now - weightsAtMs >= RECOMPUTE_MS || now < weightsAtMs) {
      weightsKnown = true;
      System.arraycopy(weightsAt(now), 0, weights, 0, weights.length);
      weightsAtMs = now;
    }
    int first = pickWeighted(-1, rnd);
    if (r < noMatchShare + twoKeywordShare && keywords.size() > 1) {
      int second = pickWeighted(first, rnd);
      int a = Math.min(first, second);
      int b = Math.max(first, second);
      return Collections.unmodifiableList(Arrays.asList(keywords.get(a), keywords.get(b)));
    }
    return Collections.singletonList(keywords.get(first));
  }

  private int pickWeighted(int except, SplittableRandom rnd) {
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
}
