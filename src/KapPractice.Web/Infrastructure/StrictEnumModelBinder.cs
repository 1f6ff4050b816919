using System.Collections.Frozen;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace KapPractice.Web.Infrastructure;

/// <summary>
/// Binds an answer or a state (any enum without [Flags]) only from exactly one of its names. The
/// framework's binder also takes numbers ("7") and comma lists, which it ORs into another value
/// ("Email,Phone" became Phone); here both are a binding error, so the inquiry form shows a message
/// and the admin area answers 400, and nothing is stored or changed.
/// </summary>
public sealed class StrictEnumModelBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var type = context.Metadata.UnderlyingOrModelType;
        return type.IsEnum && !type.IsDefined(typeof(FlagsAttribute), inherit: false) ? new StrictEnumModelBinder(type) : null;
    }

    private sealed class StrictEnumModelBinder(Type enumType) : IModelBinder
    {
        private readonly FrozenDictionary<string, object> _byName =
            Enum.GetNames(enumType).ToFrozenDictionary(name => name, name => Enum.Parse(enumType, name), StringComparer.OrdinalIgnoreCase);

        public Task BindModelAsync(ModelBindingContext bindingContext)
        {
            ArgumentNullException.ThrowIfNull(bindingContext);
            var posted = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
            if (posted == ValueProviderResult.None)
            {
                return Task.CompletedTask;
            }

            bindingContext.ModelState.SetModelValue(bindingContext.ModelName, posted);
            // A field sent twice counts by its first value, as for every other type.
            var text = posted.FirstValue;
            if (string.IsNullOrEmpty(text) && bindingContext.ModelMetadata.IsReferenceOrNullableType)
            {
                bindingContext.Result = ModelBindingResult.Success(null);
            }
            else if (text is not null && _byName.TryGetValue(text, out var value))
            {
                bindingContext.Result = ModelBindingResult.Success(value);
            }
            else
            {
                var message = bindingContext.ModelMetadata.ModelBindingMessageProvider.AttemptedValueIsInvalidAccessor(
                    text ?? string.Empty, bindingContext.ModelMetadata.GetDisplayName());
                bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, message);
                bindingContext.Result = ModelBindingResult.Failed();
            }

            return Task.CompletedTask;
        }
    }
}
