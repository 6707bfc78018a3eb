package io.trendline.bench;

import io.trendline.consumer.Ranking;
import io.trendline.consumer.RankingSink;
import java.util.concurrent.atomic.AtomicReference;

/** Keeps the latest ranking (the driver and the sink share a JVM in local mode). */
final class LastRanking implements RankingSink {
  private static final long serialVersionUID = 1L;
  static final AtomicReference<Ranking> LAST = new AtomicReference<>();

  @Override
  public void accept(Ranking ranking) {
    LAST.set(ranking);
  }
}
