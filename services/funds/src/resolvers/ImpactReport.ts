export const ImpactProviderSpend = {
  provider: ({ providerId }: { providerId: string }) => ({ id: providerId }),
};
