import { describe, expect, it } from 'vitest';

import {
  audienceProblem,
  CLAIM,
  isStaffRole,
  lessonFromLaunch,
  parseLaunchClaims,
  personName,
  type ResourceLinkLaunch,
} from './claims';

const base = {
  iss: 'https://lms.example',
  sub: 'u1',
  aud: 'client',
  exp: 2,
  iat: 1,
  nonce: 'n',
  [CLAIM.version]: '1.3.0',
  [CLAIM.deploymentId]: 'd1',
  [CLAIM.roles]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
};
const resourceLink = {
  ...base,
  [CLAIM.messageType]: 'LtiResourceLinkRequest',
  [CLAIM.targetLinkUri]: 'https://tool.example/lessons/chain-rule-computational-graphs',
  [CLAIM.resourceLink]: { id: 'rl1' },
};

describe('parseLaunchClaims', () => {
  it('accepts a resource link launch and names what is wrong otherwise', () => {
    expect(parseLaunchClaims(resourceLink)).toMatchObject({ ok: true, launch: { kind: 'resource-link' } });
    const problem = (payload: Record<string, unknown>) => {
      const result = parseLaunchClaims(payload);
      return result.ok ? null : result.problem;
    };
    expect(problem({ ...resourceLink, sub: undefined })).toMatch(/no sub/);
    expect(problem({ ...resourceLink, [CLAIM.version]: '1.1' })).toMatch(/version is "1.1"/);
    expect(problem({ ...resourceLink, [CLAIM.messageType]: 'LtiStartProctoring' })).toMatch(
      /not one this tool accepts/,
    );
    expect(problem({ ...resourceLink, [CLAIM.resourceLink]: undefined })).toMatch(/resource_link/);
    expect(problem({ ...resourceLink, [CLAIM.deploymentId]: '' })).toMatch(/deployment_id/);
  });

  it('requires the deep linking settings of a deep linking request', () => {
    const request = { ...base, [CLAIM.messageType]: 'LtiDeepLinkingRequest' };
    expect(parseLaunchClaims(request).ok).toBe(false);
    const settings = { deep_link_return_url: 'https://lms.example/return', accept_types: ['ltiResourceLink'] };
    expect(parseLaunchClaims({ ...request, [CLAIM.deepLinkingSettings]: settings })).toMatchObject({ ok: true });
  });
});

describe('roles, names, audiences, lessons', () => {
  it('makes instructors of Instructor, ContentDeveloper and Administrator, not of learners or TAs', () => {
    const lis = 'http://purl.imsglobal.org/vocab/lis/v2/';
    expect(isStaffRole([`${lis}membership#Instructor`])).toBe(true);
    expect(isStaffRole([`${lis}membership#ContentDeveloper`])).toBe(true);
    expect(isStaffRole([`${lis}institution/person#Administrator`])).toBe(true);
    expect(isStaffRole([`${lis}membership#Learner`])).toBe(false);
    expect(isStaffRole([`${lis}membership/Instructor#TeachingAssistant`])).toBe(false);
  });

  it('cleans names: one line, bounded, control characters gone', () => {
    expect(personName({ name: '  Ada\u0000\n Lovelace ' })).toBe('Ada Lovelace');
    expect(personName({ given_name: 'Ada', family_name: 'L' })).toBe('Ada L');
    expect(personName({})).toBeNull();
    expect(personName({ name: 'x'.repeat(500) })).toHaveLength(80);
  });

  it('checks aud and azp as LTI Core 1.3 asks', () => {
    expect(audienceProblem('client', undefined, 'client')).toBeNull();
    expect(audienceProblem(['client', 'other'], 'client', 'client')).toBeNull();
    expect(audienceProblem(['client', 'other'], undefined, 'client')).toMatch(/azp/);
    expect(audienceProblem('other', undefined, 'client')).toMatch(/audience/);
    expect(audienceProblem('client', 'other', 'client')).toMatch(/azp/);
  });

  it('picks the lesson from a custom parameter, else from the target link URI', () => {
    const claims = resourceLink as unknown as ResourceLinkLaunch;
    expect(lessonFromLaunch(claims)).toBe('chain-rule-computational-graphs');
    expect(lessonFromLaunch({ ...claims, [CLAIM.custom]: { lesson: 'other-lesson' } })).toBe('other-lesson');
    expect(lessonFromLaunch({ ...claims, [CLAIM.targetLinkUri]: 'https://tool.example/lti/launch' })).toBeNull();
  });
});
