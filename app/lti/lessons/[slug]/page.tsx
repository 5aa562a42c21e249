// The lesson page as LTI launches reach it inside an LMS frame: the same prerendered page, under
// /lti/ so that proxy.ts can allow exactly the launching platform's origins to frame it
// (decision 017). /lessons/<slug> itself stays unframeable.
export { default, generateMetadata, generateStaticParams } from '../../../lessons/[slug]/page';

export const dynamicParams = false;
