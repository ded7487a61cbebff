package dev.recast.registry.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and secret for one registry. The secret never appears in {@link #toString()}, logs or errors.
 *
 * @param identityToken true when the secret is an OAuth2 refresh token (Docker's {@code identitytoken})
 */
public record Credentials(String username, String secret, boolean identityToken) {

    public static Credentials basic(String username, String password) {
        return new Credentials(username, password, false);
    }

    /** Parses {@code user:password} as given to {@code --creds}. */
    public static Credentials parse(String userColonPassword) {
        int colon = userColonPassword.indexOf(':');
        if (colon <= 0) {
            throw new dev.recast.RecastException(dev.recast.ErrorKind.BAD_REQUEST,
                    "credentials must be USER:PASSWORD");
        }
        return basic(userColonPassword.substring(0, colon), userColonPassword.substring(colon + 1));
    }

    public String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", secret hidden]";
    }
}
