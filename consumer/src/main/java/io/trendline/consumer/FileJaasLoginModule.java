package io.trendline.consumer;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;

/**
 * A Kafka login that reads the real JAAS configuration from the settings file at login time, so
 * that a password never travels in the Kafka parameters Spark writes into every checkpoint file.
 *
 * <p>When {@code kafka.sasl.jaas.config} comes from the {@code --config} file, the consumer gives
 * Kafka {@code io.trendline.consumer.FileJaasLoginModule required file="consumer.properties"
 * key="kafka.sasl.jaas.config";} instead. Each JVM that logs in (the driver, each executor) reads
 * the file, where {@code spark-submit --files} put it (the path as given, else the file's name in
 * the working directory), maps Kafka's class names to this jar's, and hands the Subject to the
 * login module the file names, with its options.
 */
public final class FileJaasLoginModule implements LoginModule {
  private LoginModule delegate;

  /** The JAAS value standing for {@code key} of {@code file} in a Kafka client's parameters. */
  static String reference(String file, String key) {
    return FileJaasLoginModule.class.getName()
        + " required file=\""
        + file.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\" key=\""
        + key
        + "\";";
  }

  @Override
  public void initialize(
      Subject subject,
      CallbackHandler handler,
      Map<String, ?> sharedState,
      Map<String, ?> options) {
    Object file = options.get("file");
    Object key = options.get("key");
    if (file == null || key == null) {
      throw new IllegalArgumentException("FileJaasLoginModule needs the options file and key");
    }
    String jaas = RelocatedKafka.inThisJar(FilePassword.read(file.toString(), key.toString()));
    List<AppConfigurationEntry> entries =
        JaasContext.loadClientContext(
                Collections.singletonMap("sasl.jaas.config", new Password(jaas)))
            .configurationEntries();
    AppConfigurationEntry entry = entries.get(0);
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Class<?> type =
          Class.forName(
              entry.getLoginModuleName(),
              true,
              loader != null ? loader : FileJaasLoginModule.class.getClassLoader());
      delegate = (LoginModule) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException(
          "no login module "
              + entry.getLoginModuleName()
              + " (named in "
              + key
              + " of "
              + file
              + ")",
          e);
    }
    delegate.initialize(subject, handler, sharedState, entry.getOptions());
  }

  @Override
  public boolean login() throws LoginException {
    return delegate.login();
  }

  @Override
  public boolean commit() throws LoginException {
    return delegate.commit();
  }

  @Override
  public boolean abort() throws LoginException {
    return delegate.abort();
  }

  @Override
  public boolean logout() throws LoginException {
    return delegate.logout();
  }
}
