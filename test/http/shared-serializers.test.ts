// Response serializers are compiled once per schema object (http/shared-serializers.ts): routes
// that share a schema share its serializer, and each serializer still writes its own schema.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sharedSerializers } from '../../src/http/shared-serializers.ts';

describe('shared response serializers', () => {
  const user = { type: 'object', properties: { id: { type: 'integer' }, login: { type: 'string' } } };
  const org = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } };

  it('compiles a schema object once for every route and status that uses it', () => {
    const compile = sharedSerializers()({}, {});
    const a = compile({ method: 'GET', url: '/api/users/:id', httpStatus: '200', schema: user });
    const b = compile({ method: 'GET', url: '/api/user', httpStatus: '200', schema: user });
    assert.equal(a, b);
    assert.equal(a({ id: 1, login: 'ann', password: 'never written' }), '{"id":1,"login":"ann"}');
  });

  it('gives each schema its own serializer, equal text or not', () => {
    const compile = sharedSerializers()({}, {});
    const u = compile({ method: 'GET', url: '/a', httpStatus: '200', schema: user });
    const o = compile({ method: 'GET', url: '/b', httpStatus: '200', schema: org });
    const copy = compile({ method: 'GET', url: '/c', httpStatus: '200', schema: structuredClone(user) });
    assert.notEqual(u, o);
    assert.notEqual(u, copy);
    assert.equal(o({ id: 2, name: 'Acme', login: 'x' }), '{"id":2,"name":"Acme"}');
  });

  it('keeps serializers built with other options apart', () => {
    const factory = sharedSerializers();
    const plain = factory({}, {})({ method: 'GET', url: '/a', httpStatus: '200', schema: user });
    const rounding = factory({}, { rounding: 'floor' })({ method: 'GET', url: '/a', httpStatus: '200', schema: user });
    assert.notEqual(plain, rounding);
    assert.equal(rounding({ id: 1.7, login: 'b' }), '{"id":1,"login":"b"}');
  });
});
