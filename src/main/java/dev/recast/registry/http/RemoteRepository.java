package dev.recast.registry.http;

import java.net.URI;
import java.util.List;

/** One repository of a registry, as the protocol steps address it: its URLs and the token scopes they need. */
record RemoteRepository(RegistryEndpointCaller caller, String repository) {

    /** How users name it: {@code registry/repository}. */
    String name() {
        return caller.registry() + "/" + repository;
    }

    /** {@code http(s)://registry/v2/<repository>/} + path. */
    URI url(String path) {
        return caller.url(repository + "/" + path);
    }

    List<String> pull() {
        return List.of("repository:" + repository + ":pull");
    }

    List<String> push() {
        return List.of("repository:" + repository + ":pull,push");
    }
}
