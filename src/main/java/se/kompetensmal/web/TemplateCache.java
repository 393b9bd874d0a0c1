package se.kompetensmal.web;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.cache.ConcurrentMapTemplateCache;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Compiled pages are kept. Micronaut Views compiles the view on every render, and Handlebars' default cache keeps
 * nothing, so each request parsed the layout and its partials again: 60 % of the time spent serving Min utbildning under
 * load (the benchmark's flight recording).
 */
@Singleton
public class TemplateCache implements BeanCreatedEventListener<Handlebars> {

    @Override
    public Handlebars onCreated(BeanCreatedEvent<Handlebars> event) {
        return event.getBean().with(new ConcurrentMapTemplateCache());
    }
}
