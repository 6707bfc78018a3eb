package io.trendline.bench;

import com.twitter.hbc.ClientBuilder;
import com.twitter.hbc.core.Client;
import com.twitter.hbc.core.HttpHosts;
import com.twitter.hbc.core.endpoint.StatusesFilterEndpoint;
import com.twitter.hbc.core.processor.StringDelimitedProcessor;
import com.twitter.hbc.httpclient.auth.OAuth1;
import io.trendline.process.ThrowawayCredentials;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The naive way, for comparison: the same Hosebird client and Kafka settings, but a keyword
 * "matches" when it occurs anywhere in the raw JSON, case-insensitively, and every message is
 * logged at INFO. (It also counts {@code idiot} as IoT and {@code 5GHz} as 5G.) {@code
 * NaiveProducer BOOTSTRAP TOPIC STREAM_URL KEYWORDS}.
 */
public final class NaiveProducer {
  private static final Logger log = LoggerFactory.getLogger(NaiveProducer.class);

  private NaiveProducer() {}

  public static void main(String[] args) throws Exception {
    List<String> keywords = Arrays.asList(args[3].split(","));
    BlockingQueue<String> queue = new LinkedBlockingQueue<>(10_000);
    StatusesFilterEndpoint endpoint = new StatusesFilterEndpoint();
    endpoint.trackTerms(keywords);
    Client client =
        new ClientBuilder()
            .name("naive")
            .hosts(new HttpHosts(args[2]))
            .endpoint(endpoint)
            .authentication(
                new OAuth1(
                    ThrowawayCredentials.VALUE,
                    ThrowawayCredentials.VALUE,
                    ThrowawayCredentials.VALUE,
                    ThrowawayCredentials.VALUE))
            .processor(new StringDelimitedProcessor(queue))
            .build();
    client.connect();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(KafkaSettings.producer(args[0]))) {
      while (!client.isDone()) {
        String message = queue.take();
        log.info("received {}", message);
        String lower = message.toLowerCase(Locale.ROOT);
        for (String keyword : keywords) {
          if (lower.contains(keyword.toLowerCase(Locale.ROOT))) {
            producer.send(new ProducerRecord<>(args[1], keyword, message));
          }
        }
      }
    }
  }

  /** The records the naive way sends for {@code corpus}. */
  static long records(Corpus corpus, String keywords) {
    long n = 0;
    for (String status : corpus.statuses) {
      String lower = status.toLowerCase(Locale.ROOT);
      for (String k : keywords.split(",")) {
        if (lower.contains(k.toLowerCase(Locale.ROOT))) {
          n++;
        }
      }
    }
    return n;
  }
}
