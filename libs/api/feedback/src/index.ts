export { FeedbackModule } from './lib/feedback.module';
export { FeedbackService, NoCallError, AlreadyRatedError } from './lib/feedback.service';
