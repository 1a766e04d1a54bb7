package io.cairn.backup.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * The web console's pages, rendered by Qute. A browser cannot send a bearer token when it follows a link, so a page
 * is only its frame (navigation, headings, empty tables, forms) and holds no data: its script reads the data from the
 * REST API with the token the login page kept in the tab's sessionStorage, and follows the live feed. That is why the
 * pages are open while everything they show needs a token. The Content-Security-Policy lets a page load and call
 * nothing but this service.
 */
@Path("/console")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class ConsolePages {
    /** Only this service's own scripts, styles and API; no inline script, no frame, nothing from elsewhere. */
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login();

        static native TemplateInstance fleet();

        static native TemplateInstance jobs();

        static native TemplateInstance domain(String domain);

        static native TemplateInstance restorePoints(String domain);
    }

    @GET
    public Response index() {
        return Response.seeOther(URI.create("/console/fleet")).build();
    }

    @GET
    @Path("login")
    public Response login() {
        return page(Templates.login());
    }

    @GET
    @Path("fleet")
    public Response fleet() {
        return page(Templates.fleet());
    }

    @GET
    @Path("jobs")
    public Response jobs() {
        return page(Templates.jobs());
    }

    @GET
    @Path("domains/{name}")
    public Response domain(@PathParam("name") String name) {
        return page(Templates.domain(name));
    }

    @GET
    @Path("domains/{name}/restore-points")
    public Response restorePoints(@PathParam("name") String name) {
        return page(Templates.restorePoints(name));
    }

    private static Response page(TemplateInstance page) {
        return Response.ok(page.render(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .build();
    }
}
