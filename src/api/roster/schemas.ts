// Shapes shared by the native API's routes.
import { Type } from '@sinclair/typebox';

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'Stable machine-readable code, e.g. contact.phone-invalid' }),
    message: Type.String(),
    field: Type.Optional(Type.String({ description: 'The request field at fault, when there is one' })),
  }),
});
