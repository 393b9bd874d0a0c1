package se.kompetensmal.learning;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.View;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.security.Languages;
import se.kompetensmal.web.FileNames;
import se.kompetensmal.web.Texts;

import java.time.LocalDate;
import java.util.Map;

/** The learner's own records: their full history, and a certificate of each completion. */
@Controller("/min-utbildning")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class LearningRecordsPages {

    private final LearningHistory history;
    private final Certificates certificates;
    private final CertificatePdf pdf;
    private final Languages languages;
    private final Texts texts;

    public LearningRecordsPages(LearningHistory history, Certificates certificates, CertificatePdf pdf, Languages languages,
                                Texts texts) {
        this.history = history;
        this.certificates = certificates;
        this.pdf = pdf;
        this.languages = languages;
        this.texts = texts;
    }

    @Produces(MediaType.TEXT_HTML)
    @View("learning-history")
    @Get("/historik")
    public Map<String, Object> history(Authentication caller) {
        long person = Learner.personOf(caller);
        String language = languages.of(caller);
        return Map.of("title", texts.in(language).get("myHistory"),
                "history", history.of(person, null, LocalDate.now(SwedishTime.ZONE), language));
    }

    @Produces("application/pdf")
    @Get("/intyg/{completion}")
    public HttpResponse<byte[]> certificate(long completion, Authentication caller) {
        String language = languages.of(caller);
        Certificates.Certificate certificate = certificates.of(Learner.personOf(caller), completion, language)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "Intyget finns inte."));
        return HttpResponse.ok(pdf.render(certificate, texts.in(language)))
                .contentType("application/pdf").header("Content-Disposition", FileNames.attachment(certificate.fileName(false)));
    }
}
