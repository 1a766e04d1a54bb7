package io.cairn.backup.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.security.DomainScope;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleFeedTest {

    @Test
    void aSubscriberGetsOnlyTheEventsOfItsScopeFromItsSubscriptionOn() {
        ConsoleFeed feed = new ConsoleFeed();
        feed.publish(event("backup-progress", "web-01")); // before anyone listens: nobody gets it
        AssertSubscriber<FeedEvent> web = feed.follow(DomainScope.of(List.of("web-*")))
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        AssertSubscriber<FeedEvent> all = feed.follow(DomainScope.ALL)
                .subscribe().withSubscriber(AssertSubscriber.create(10));

        feed.publish(event("backup-started", "web-02"));
        feed.publish(event("checkpoint-deleted", "db-01"));
        feed.publish("not json");
        feed.publish("{\"type\":\"backup-progress\"}"); // no domain: nobody's

        assertThat(web.getItems()).extracting(FeedEvent::type, FeedEvent::domain)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("backup-started", "web-02"));
        assertThat(all.getItems()).extracting(FeedEvent::domain).containsExactly("web-02", "db-01");
        assertThat(all.getItems().get(1).json()).isEqualTo(event("checkpoint-deleted", "db-01"));
    }

    @Test
    void aSubscriberWithoutAScopeGetsNothing() {
        ConsoleFeed feed = new ConsoleFeed();
        AssertSubscriber<FeedEvent> none = feed.follow(DomainScope.NONE)
                .subscribe().withSubscriber(AssertSubscriber.create(10));

        feed.publish(event("backup-completed", "web-01"));

        assertThat(none.getItems()).isEmpty();
    }

    private static String event(String type, String domain) {
        return "{\"type\":\"" + type + "\",\"domain\":\"" + domain + "\",\"eventId\":\"e\"}";
    }
}
