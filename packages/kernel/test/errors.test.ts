/**
 * What a client sees of an error: contract codes pass, the database being unreachable is
 * SERVICE_UNAVAILABLE (the client may retry), anything else is masked as an internal error.
 */
import { GraphQLError } from 'graphql';
import { isUnavailable, maskErrors, ShopError } from '../src/errors';
import { createLogger } from '../src/logger';

const mask = maskErrors(createLogger('errors-test', 'silent'));
const wrapped = (original: Error) => new GraphQLError(original.message, { originalError: original, path: ['placeOrder'] });
const named = (name: string, message: string) => Object.assign(new Error(message), { name });
const seen = (error: GraphQLError) => mask({ message: error.message, path: error.path, extensions: error.extensions }, error);

it.each([
  ['MongoServerSelectionError', 'connect ECONNREFUSED 127.0.0.1:27017'],
  ['MongoNetworkError', 'connection 3 to 127.0.0.1:27017 closed'],
  ['MongooseError', 'Operation `orders.findOne()` buffering timed out after 10000ms'],
])('%s is SERVICE_UNAVAILABLE, without its internal message', (name, message) => {
  const error = wrapped(named(name, message));
  expect(isUnavailable(error)).toBe(true);
  expect(seen(error)).toEqual({ message: 'The service is unavailable, please retry', path: ['placeOrder'], extensions: { code: 'SERVICE_UNAVAILABLE' } });
});

it('a driver error wrapped as a cause is found too', () => {
  expect(isUnavailable(Object.assign(new Error('outer'), { cause: named('MongoNetworkError', 'closed') }))).toBe(true);
});

it('other errors stay internal and masked; contract errors pass with their code', () => {
  expect(isUnavailable(wrapped(named('MongooseError', 'Cast to ObjectId failed')))).toBe(false);
  expect(seen(wrapped(new TypeError('Cannot read properties of undefined')))).toEqual({ message: 'Internal server error', path: ['placeOrder'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  const contract = new ShopError('OUT_OF_STOCK', 'Not enough stock', { available: 2 });
  expect(seen(contract)).toMatchObject({ message: 'Not enough stock', extensions: { code: 'OUT_OF_STOCK', available: 2 } });
});
