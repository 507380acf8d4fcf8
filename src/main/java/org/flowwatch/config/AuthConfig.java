package org.flowwatch.config;

import java.nio.file.Path;
import java.util.UUID;

/**
 * How flowwatch authenticates to Globus.
 *
 * <p>Unattended use needs no settings here: GLOBUS_CLIENT_ID and GLOBUS_CLIENT_SECRET in the
 * environment select a confidential client. Interactive use ({@code flowwatch login}) needs the id of a
 * native-app client registered at developers.globus.org.
 *
 * @param nativeClientId the native app's client id for {@code flowwatch login}, or null
 * @param tokenFile where tokens are cached; null means {@code <state dir>/tokens.json}
 */
public record AuthConfig(UUID nativeClientId, Path tokenFile) {
  public static final AuthConfig DEFAULT = new AuthConfig(null, null);
}
