import { errorResponsesOf } from '@tollpad/server-kit';
import { ERROR_STATUSES, ErrorSchema } from '@tollpad/station-api';

export { ErrorSchema, IdParam, Ok } from '@tollpad/station-api';

/** Error answers a route may give; merged into every route's response schema. */
export const errorResponses = errorResponsesOf(ErrorSchema, ERROR_STATUSES);
