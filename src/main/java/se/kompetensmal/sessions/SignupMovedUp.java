package se.kompetensmal.sessions;

/** A place given back went to the first on the waiting list: their sign-up is now booked. Published inside the transaction. */
public record SignupMovedUp(long signupId) {
}
