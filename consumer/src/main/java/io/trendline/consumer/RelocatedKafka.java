package io.trendline.consumer;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The consumer jar carries its own kafka-clients under another package (so that it cannot clash
 * with a cluster's), but users name Kafka's classes by their standard names: a JAAS configuration
 * says {@code org.apache.kafka.common.security.plain.PlainLoginModule}, a callback handler or an
 * interceptor {@code org.apache.kafka....}. This maps those names to where the classes are in the
 * running jar, so that a standard Kafka security configuration works unchanged. Outside the jar
 * (tests, an unshaded classpath) the names are left as they are.
 */
final class RelocatedKafka {
  /** Kafka's own package, built at run time so that relocation cannot rewrite this constant. */
  static final String STANDARD = String.join(".", "org", "apache", "kafka") + ".";

  /** Where Kafka's classes are in this jar (the standard package when not relocated). */
  static final String HERE =
      packageOf(ConsumerConfig.class.getName(), "clients.consumer.ConsumerConfig");

  private RelocatedKafka() {}

  private static String packageOf(String className, String suffix) {
    return className.endsWith(suffix)
        ? className.substring(0, className.length() - suffix.length())
        : STANDARD;
  }

  /**
   * Rewrites, in place, Kafka class names in the properties that hold them ({@code
   * sasl.jaas.config}, {@code *.class}, {@code *.classes}, {@code partition.assignment.strategy})
   * from {@code from} to {@code to}.
   */
  static void rewrite(Map<String, Object> props, String from, String to) {
    if (from.equals(to)) {
      return;
    }
    for (Map.Entry<String, Object> e : props.entrySet()) {
      String key = e.getKey();
      if (e.getValue() instanceof String
          && (key.equals("sasl.jaas.config")
              || key.endsWith(".class")
              || key.endsWith(".classes")
              || key.equals("partition.assignment.strategy"))) {
        e.setValue(((String) e.getValue()).replace(from, to));
      }
    }
  }

  /** {@code text} with Kafka's standard class names replaced by this jar's. */
  static String inThisJar(String text) {
    return text.replace(STANDARD, HERE);
  }

  /** {@link #rewrite} from the standard names to this jar's. */
  static void toThisJar(Map<String, Object> props) {
    rewrite(props, STANDARD, HERE);
  }
}
