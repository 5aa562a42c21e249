/**
 * The course the lessons belong to, as a learner sees it: its name, and what comes after the
 * lessons that exist. A lesson that is planned but not written is listed as "coming next",
 * never linked, so no page points at something that is not there (issue 16, item 17).
 */
export const COURSE = {
  title: 'How neural networks learn',
  comingNext: [
    {
      title: 'Backpropagation as an algorithm',
      summary:
        'Organise the chain rule for a whole network so that each partial product is computed once, and see why one backward pass costs about as much as one forward pass.',
    },
  ],
} as const;
