package io.trendline.consumer;

import java.io.Serializable;

/**
 * Where each batch's ranking goes. Called on the driver, once per batch, in batch order.
 * Serializable because the stream graph that holds it is checkpointed: keep no connections in
 * fields (open them lazily, once per JVM).
 */
public interface RankingSink extends Serializable {
  void accept(Ranking ranking) throws Exception;
}
