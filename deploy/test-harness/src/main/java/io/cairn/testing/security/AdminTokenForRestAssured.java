package io.cairn.testing.security;

import io.cairn.testing.stack.LocalStack;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.time.Duration;

/**
 * Runs every {@code @QuarkusTest} with security on, as a real client: a RestAssured call that brings no
 * {@code Authorization} header of its own carries an admin token of every domain from the local issuer. A test of
 * security itself sends its own header, or none with {@code given().noFilters()}.
 */
public class AdminTokenForRestAssured implements QuarkusTestBeforeEachCallback {
    private static final Filter ADMIN_TOKEN = new AdminToken();
    private static String token;
    private static long mintedAt;

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (!RestAssured.filters().contains(ADMIN_TOKEN)) {
            RestAssured.filters(ADMIN_TOKEN);
        }
    }

    /** Minted once per JVM and renewed long before it expires. */
    private static synchronized String token() {
        if (token == null || System.currentTimeMillis() - mintedAt > Duration.ofHours(1).toMillis()) {
            token = LocalStack.issuer().adminOfAll(Duration.ofHours(4));
            mintedAt = System.currentTimeMillis();
        }
        return token;
    }

    /** Adds the token unless the call has its own. */
    private static final class AdminToken implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                FilterContext context) {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", "Bearer " + token());
            }
            return context.next(request, response);
        }
    }
}
